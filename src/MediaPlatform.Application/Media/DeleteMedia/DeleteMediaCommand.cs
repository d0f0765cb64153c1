using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Media.DeleteMedia;

/// <summary>Delete media, its finished jobs and their results, and its stored bytes. Refused while a job uses it.</summary>
public sealed record DeleteMediaCommand(Guid MediaId) : ICommand<Result>;

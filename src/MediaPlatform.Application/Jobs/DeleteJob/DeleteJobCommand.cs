using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Jobs.DeleteJob;

/// <summary>Delete a job that is not running, with its transcription and analyses.</summary>
public sealed record DeleteJobCommand(Guid JobId) : ICommand<Result>;

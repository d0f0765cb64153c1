using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Jobs.CancelJob;

/// <summary>Stop a queued or running job; a finished job cannot be cancelled.</summary>
public sealed record CancelJobCommand(Guid JobId) : ICommand<Result<JobDto>>;

using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Jobs.RetryJob;

/// <summary>Queue a failed or cancelled job again, with a fresh set of attempts.</summary>
public sealed record RetryJobCommand(Guid JobId) : ICommand<Result<JobDto>>;

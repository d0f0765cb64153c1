using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Jobs.GetJob;

public sealed record GetJobQuery(Guid JobId) : IQuery<Result<JobDto>>;

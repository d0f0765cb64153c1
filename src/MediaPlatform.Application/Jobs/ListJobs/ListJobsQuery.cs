using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Application.Jobs.ListJobs;

/// <summary>Jobs newest first, filtered, one page at a time.</summary>
public sealed record ListJobsQuery(
    JobStatus? Status = null,
    JobKind? Kind = null,
    Guid? MediaId = null,
    DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null,
    int Limit = PagingRules.DefaultLimit,
    string? Cursor = null) : IQuery<Result<PageDto<JobDto>>>;

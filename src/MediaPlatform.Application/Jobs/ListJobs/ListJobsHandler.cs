using MapsterMapper;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediatR;

namespace MediaPlatform.Application.Jobs.ListJobs;

internal sealed class ListJobsHandler(IJobRepository jobs, IMapper mapper, ICurrentTenant tenant) : IRequestHandler<ListJobsQuery, Result<PageDto<JobDto>>>
{
    public async Task<Result<PageDto<JobDto>>> Handle(ListJobsQuery request, CancellationToken cancellationToken)
    {
        var after = CursorCodec.DecodeOrFirstPage(request.Cursor);
        var filter = new JobListFilter(
            request.Status,
            request.Kind,
            request.MediaId is { } mediaId ? new MediaAssetId(mediaId) : null,
            request.CreatedAfter,
            request.CreatedBefore);
        var page = await jobs.ListAsync(filter, request.Limit, after, cancellationToken);
        return PageDto<JobDto>.From(page, j => mapper.ToJobDto(j, tenant));
    }
}

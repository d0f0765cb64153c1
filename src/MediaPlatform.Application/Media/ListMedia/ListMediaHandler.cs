using MapsterMapper;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;
using MediatR;

namespace MediaPlatform.Application.Media.ListMedia;

internal sealed class ListMediaHandler(IMediaAssetRepository media, IMapper mapper, ICurrentTenant tenant)
    : IRequestHandler<ListMediaQuery, Result<PageDto<MediaAssetDto>>>
{
    public async Task<Result<PageDto<MediaAssetDto>>> Handle(ListMediaQuery request, CancellationToken cancellationToken)
    {
        var after = CursorCodec.DecodeOrFirstPage(request.Cursor);
        var page = await media.ListAsync(request.Status, request.Limit, after, cancellationToken);
        return PageDto<MediaAssetDto>.From(page, m => mapper.ToMediaDto(m, tenant));
    }
}

using MapsterMapper;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;
using MediatR;

namespace MediaPlatform.Application.Media.ListMedia;

internal sealed class ListMediaHandler(IMediaAssetRepository media, IMapper mapper)
    : IRequestHandler<ListMediaQuery, Result<PageDto<MediaAssetDto>>>
{
    public async Task<Result<PageDto<MediaAssetDto>>> Handle(ListMediaQuery request, CancellationToken cancellationToken)
    {
        KeysetCursor? after = CursorCodec.TryDecode(request.Cursor, out var cursor) ? cursor : null;
        var page = await media.ListAsync(request.Status, request.Limit, after, cancellationToken);
        return new PageDto<MediaAssetDto>(
            page.Items.Select(mapper.Map<MediaAssetDto>).ToList(),
            page.Next is { } next ? CursorCodec.Encode(next) : null);
    }
}

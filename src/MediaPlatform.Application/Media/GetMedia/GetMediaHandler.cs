using MapsterMapper;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;
using MediatR;

namespace MediaPlatform.Application.Media.GetMedia;

internal sealed class GetMediaHandler(IMediaAssetRepository media, IMapper mapper, ICurrentTenant tenant) : IRequestHandler<GetMediaQuery, Result<MediaAssetDto>>
{
    public async Task<Result<MediaAssetDto>> Handle(GetMediaQuery request, CancellationToken cancellationToken)
    {
        var id = new MediaAssetId(request.MediaId);
        var asset = await media.ReadAsync(id, cancellationToken);
        return asset is null ? MediaErrors.NotFound(id) : mapper.ToMediaDto(asset, tenant);
    }
}

using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;
using MediatR;

namespace MediaPlatform.Application.Media.RegisterMediaUrl;

internal sealed class RegisterMediaUrlHandler(IUrlGuard guard, IMediaAssetRepository media, TimeProvider time, IMapper mapper, ICurrentTenant tenant)
    : IRequestHandler<RegisterMediaUrlCommand, Result<MediaAssetDto>>
{
    public async Task<Result<MediaAssetDto>> Handle(RegisterMediaUrlCommand request, CancellationToken cancellationToken)
    {
        var url = new Uri(request.Url!, UriKind.Absolute);
        var allowed = await guard.CheckAsync(url, cancellationToken);
        if (allowed.IsFailure)
        {
            return allowed.Error!;
        }

        var created = MediaAsset.FromUrl(url, time.GetUtcNow());
        if (created.IsFailure)
        {
            return created.Error!;
        }

        media.Add(created.Value);
        return mapper.ToMediaDto(created.Value, tenant);
    }
}

using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Tenants.GetMe;

/// <summary>The caller's tenant, key, scopes, and usage against each limit.</summary>
public sealed record GetMeQuery : IQuery<Result<MeDto>>;

internal sealed class GetMeHandler(
    ICurrentTenant current, ITenantRepository tenants, IApiKeyRepository keys, ITenantUsage usage, IRequestRateMeter rates, IMapper mapper)
    : IRequestHandler<GetMeQuery, Result<MeDto>>
{
    public async Task<Result<MeDto>> Handle(GetMeQuery request, CancellationToken cancellationToken)
    {
        var tenantId = current.RequiredTenantId;
        var tenant = await tenants.GetAsync(tenantId, cancellationToken);
        if (tenant is null)
        {
            return TenantErrors.NotFound(tenantId); // deleted after this request authenticated
        }

        var key = current.ApiKeyId is { } keyId ? await keys.GetAsync(tenantId, keyId, cancellationToken) : null;
        var used = await usage.GetAsync(tenantId, cancellationToken);
        var limits = tenant.Limits;
        var usageDto = new TenantUsageDto(
            new LimitUsageDto(limits.RequestsPerMinute, rates.RequestsThisWindow(tenantId)),
            new LimitUsageDto(limits.MaxConcurrentJobs, used.RunningJobs),
            new LimitUsageDto(limits.MaxQueuedJobs, used.QueuedJobs),
            new LimitUsageDto(limits.StorageBytes, used.StorageBytes),
            new LimitUsageDto(limits.MaxMediaSeconds, null),
            new LimitUsageDto(limits.RetentionDays, null));
        return new MeDto(mapper.Map<TenantDto>(tenant), key is null ? null : mapper.Map<ApiKeyDto>(key), current.Scopes, usageDto);
    }
}

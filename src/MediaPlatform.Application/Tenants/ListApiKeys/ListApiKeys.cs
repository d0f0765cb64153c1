using MapsterMapper;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Tenants.ListApiKeys;

/// <summary>A tenant's keys, revoked ones included, without secrets (admin). One page holds them all.</summary>
public sealed record ListApiKeysQuery(Guid TenantId) : IQuery<Result<PageDto<ApiKeyDto>>>;

internal sealed class ListApiKeysHandler(ITenantRepository tenants, IApiKeyRepository keys, IMapper mapper)
    : IRequestHandler<ListApiKeysQuery, Result<PageDto<ApiKeyDto>>>
{
    public async Task<Result<PageDto<ApiKeyDto>>> Handle(ListApiKeysQuery request, CancellationToken cancellationToken)
    {
        var tenantId = new TenantId(request.TenantId);
        if (await tenants.GetAsync(tenantId, cancellationToken) is null)
        {
            return TenantErrors.NotFound(tenantId);
        }

        var all = await keys.ListAsync(tenantId, cancellationToken);
        return new PageDto<ApiKeyDto>(all.Select(mapper.Map<ApiKeyDto>).ToList(), null);
    }
}

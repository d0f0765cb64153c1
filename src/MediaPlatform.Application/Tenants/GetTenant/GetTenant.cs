using MapsterMapper;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Tenants.GetTenant;

/// <summary>One tenant (admin).</summary>
public sealed record GetTenantQuery(Guid TenantId) : IQuery<Result<TenantDto>>;

internal sealed class GetTenantHandler(ITenantRepository tenants, IMapper mapper) : IRequestHandler<GetTenantQuery, Result<TenantDto>>
{
    public async Task<Result<TenantDto>> Handle(GetTenantQuery request, CancellationToken cancellationToken)
    {
        var id = new TenantId(request.TenantId);
        var tenant = await tenants.GetAsync(id, cancellationToken);
        return tenant is null ? TenantErrors.NotFound(id) : mapper.Map<TenantDto>(tenant);
    }
}

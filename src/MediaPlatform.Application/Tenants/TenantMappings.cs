using Mapster;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Tenants;

/// <summary>Mapster configuration of the Tenants module. The key's hash never leaves the domain.</summary>
public sealed class TenantMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.NewConfig<TenantLimits, TenantLimitsDto>();
        config.NewConfig<Tenant, TenantDto>()
            .Map(d => d.Id, s => s.Id.Value);
        config.NewConfig<ApiKey, ApiKeyDto>()
            .Map(d => d.Id, s => s.Id.Value)
            .Map(d => d.TenantId, s => s.TenantId.Value);
    }
}

using MediaPlatform.Domain.Tenants;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MediaPlatform.Infrastructure.Persistence.Converters;

/// <summary>Stores a <see cref="TenantId"/> as its uuid.</summary>
internal sealed class TenantIdConverter() : ValueConverter<TenantId, Guid>(v => v.Value, v => new TenantId(v));

/// <summary>Stores an <see cref="ApiKeyId"/> as its uuid.</summary>
internal sealed class ApiKeyIdConverter() : ValueConverter<ApiKeyId, Guid>(v => v.Value, v => new ApiKeyId(v));

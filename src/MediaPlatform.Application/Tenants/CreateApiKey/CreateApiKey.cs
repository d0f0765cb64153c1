using FluentValidation;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Tenants.CreateApiKey;

/// <summary>Issue a key for a tenant (admin). The answer is the only time the secret is shown.</summary>
public sealed record CreateApiKeyCommand(Guid TenantId, string? Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt = null, string? Secret = null)
    : ICommand<Result<CreatedApiKeyDto>>;

internal sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyValidator()
    {
        RuleFor(c => c.Name).NotEmpty().WithMessage("name is required.").MaximumLength(ApiKey.MaxNameLength);
        RuleFor(c => c.Scopes).NotEmpty().WithMessage($"scopes is required: one or more of {string.Join(", ", ApiScopes.All)}.");
        RuleForEach(c => c.Scopes).Must(s => s is not null && ApiScopes.IsKnown(s.Trim().ToLowerInvariant()))
            .WithMessage((_, s) => $"'{s}' is not a scope; use {string.Join(", ", ApiScopes.All)}.");
    }
}

internal sealed class CreateApiKeyHandler(ITenantRepository tenants, IApiKeyRepository keys, TimeProvider time)
    : IRequestHandler<CreateApiKeyCommand, Result<CreatedApiKeyDto>>
{
    public async Task<Result<CreatedApiKeyDto>> Handle(CreateApiKeyCommand request, CancellationToken cancellationToken)
    {
        var tenantId = new TenantId(request.TenantId);
        if (await tenants.GetAsync(tenantId, cancellationToken) is null)
        {
            return TenantErrors.NotFound(tenantId);
        }

        var issued = ApiKey.Issue(tenantId, request.Name, request.Scopes, request.ExpiresAt?.ToUniversalTime(), time.GetUtcNow(), request.Secret);
        if (issued.IsFailure)
        {
            return issued.Error!;
        }

        var (key, secret) = issued.Value;
        keys.Add(key);
        return new CreatedApiKeyDto
        {
            Id = key.Id.Value,
            TenantId = key.TenantId.Value,
            Name = key.Name,
            Key = secret,
            Prefix = key.Prefix,
            Scopes = key.Scopes,
            ExpiresAt = key.ExpiresAt,
            CreatedAt = key.CreatedAt,
        };
    }
}

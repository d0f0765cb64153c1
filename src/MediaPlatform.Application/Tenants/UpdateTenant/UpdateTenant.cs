using FluentValidation;
using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Tenants.UpdateTenant;

/// <summary>Rename a tenant or change its limits (admin); what is not given stays as it is.</summary>
public sealed record UpdateTenantCommand(Guid TenantId, string? Name, TenantLimitsPatch? Limits) : ICommand<Result<TenantDto>>;

internal sealed class UpdateTenantValidator : AbstractValidator<UpdateTenantCommand>
{
    public UpdateTenantValidator() =>
        RuleFor(c => c.Name).MaximumLength(Tenant.MaxNameLength).NotEmpty().When(c => c.Name is not null).WithMessage("name cannot be empty.");
}

internal sealed class UpdateTenantHandler(
    ITenantRepository tenants, IApiKeyAuthenticator authenticator, ITransactionCallbacks callbacks, TimeProvider time, IMapper mapper)
    : IRequestHandler<UpdateTenantCommand, Result<TenantDto>>
{
    public async Task<Result<TenantDto>> Handle(UpdateTenantCommand request, CancellationToken cancellationToken)
    {
        var id = new TenantId(request.TenantId);
        var tenant = await tenants.GetAsync(id, cancellationToken);
        if (tenant is null)
        {
            return TenantErrors.NotFound(id);
        }

        var now = time.GetUtcNow();
        if (request.Name is { } name && !string.Equals(name.Trim(), tenant.Name, StringComparison.Ordinal))
        {
            if (await tenants.FindByNameAsync(name.Trim(), cancellationToken) is { } other && other.Id != id)
            {
                return TenantErrors.NameTaken(name.Trim());
            }

            var renamed = tenant.Rename(name, now);
            if (renamed.IsFailure)
            {
                return renamed.Error!;
            }
        }

        if (request.Limits is { } patch)
        {
            var changed = tenant.ChangeLimits(patch.ApplyTo(tenant.Limits), now);
            if (changed.IsFailure)
            {
                return changed.Error!;
            }
        }

        // Keys cached with the old limits must see the new ones at once.
        callbacks.OnCommitted(_ =>
        {
            authenticator.Forget();
            return Task.CompletedTask;
        });
        return mapper.Map<TenantDto>(tenant);
    }
}

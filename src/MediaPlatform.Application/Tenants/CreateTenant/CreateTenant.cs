using FluentValidation;
using MapsterMapper;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Tenants.CreateTenant;

/// <summary>Create a tenant (admin).</summary>
public sealed record CreateTenantCommand(string? Name, TenantLimits? Limits = null) : ICommand<Result<TenantDto>>;

internal sealed class CreateTenantValidator : AbstractValidator<CreateTenantCommand>
{
    public CreateTenantValidator() =>
        RuleFor(c => c.Name).NotEmpty().WithMessage("name is required.").MaximumLength(Tenant.MaxNameLength);
}

internal sealed class CreateTenantHandler(ITenantRepository tenants, TimeProvider time, IMapper mapper)
    : IRequestHandler<CreateTenantCommand, Result<TenantDto>>
{
    public async Task<Result<TenantDto>> Handle(CreateTenantCommand request, CancellationToken cancellationToken)
    {
        var created = Tenant.Create(request.Name ?? string.Empty, request.Limits, time.GetUtcNow());
        if (created.IsFailure)
        {
            return created.Error!;
        }

        if (await tenants.FindByNameAsync(created.Value.Name, cancellationToken) is not null)
        {
            return TenantErrors.NameTaken(created.Value.Name);
        }

        tenants.Add(created.Value);
        return mapper.Map<TenantDto>(created.Value);
    }
}

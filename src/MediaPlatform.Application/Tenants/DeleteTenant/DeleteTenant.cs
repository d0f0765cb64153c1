using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Tenants.DeleteTenant;

/// <summary>Delete a tenant with its keys, media, jobs and results, stored bytes included (admin).</summary>
public sealed record DeleteTenantCommand(Guid TenantId) : ICommand<Result>;

internal sealed class DeleteTenantHandler(ITenantEraser eraser, IApiKeyAuthenticator authenticator, ICurrentTenant current)
    : IRequestHandler<DeleteTenantCommand, Result>
{
    public async Task<Result> Handle(DeleteTenantCommand request, CancellationToken cancellationToken)
    {
        var id = new TenantId(request.TenantId);
        if (current.TenantId == id)
        {
            return TenantErrors.CannotDeleteOwnTenant();
        }

        if (!await eraser.EraseAsync(id, cancellationToken))
        {
            return TenantErrors.NotFound(id);
        }

        authenticator.Forget();
        return Result.Success();
    }
}

using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Tenants.RevokeApiKey;

/// <summary>Revoke a key (admin): it authenticates nothing from the next request on. Revoking twice is harmless.</summary>
public sealed record RevokeApiKeyCommand(Guid TenantId, Guid KeyId) : ICommand<Result>;

internal sealed class RevokeApiKeyHandler(IApiKeyRepository keys, IApiKeyAuthenticator authenticator, ITransactionCallbacks callbacks, TimeProvider time)
    : IRequestHandler<RevokeApiKeyCommand, Result>
{
    public async Task<Result> Handle(RevokeApiKeyCommand request, CancellationToken cancellationToken)
    {
        var id = new ApiKeyId(request.KeyId);
        var key = await keys.GetAsync(new TenantId(request.TenantId), id, cancellationToken);
        if (key is null)
        {
            return TenantErrors.KeyNotFound(id);
        }

        key.Revoke(time.GetUtcNow());
        callbacks.OnCommitted(_ =>
        {
            authenticator.Forget();
            return Task.CompletedTask;
        });
        return Result.Success();
    }
}

using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.Infrastructure.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Tenancy;

/// <summary>What bootstrapping did.</summary>
public enum BootstrapOutcome
{
    /// <summary>Keys exist already; nothing was done.</summary>
    KeysExist,

    /// <summary>An admin key was generated and written to the key file.</summary>
    KeyWritten,

    /// <summary>The configured <c>Auth:BootstrapKey</c> was stored as the admin key.</summary>
    ConfiguredKeyStored,
}

/// <summary>
/// When the database holds no key at all, creates tenant <c>default</c> (if missing) and an admin key for it (scopes
/// admin, read, write): the configured <see cref="AuthOptions.BootstrapKey"/>, or a generated one written to
/// <see cref="AuthOptions.KeyFile"/> with mode 600 before the key is committed. A transaction-scoped advisory lock
/// makes concurrent starts create one key.
/// </summary>
public sealed partial class ApiKeyBootstrapper(MediaPlatformDbContext db, IOptions<AuthOptions> options, TimeProvider time, ILogger<ApiKeyBootstrapper> logger)
{
    private const long LockId = 0x6d705f6b657973; // "mp_keys"

    public Task<BootstrapOutcome> EnsureAdminKeyAsync(CancellationToken cancellationToken = default)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(cancellationToken, async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockId})", ct);
            if (await db.ApiKeys.AnyAsync(ct))
            {
                return BootstrapOutcome.KeysExist;
            }

            var now = time.GetUtcNow();
            if (await db.Tenants.AnyAsync(t => t.Id == TenantId.Default, ct) is false)
            {
                db.Tenants.Add(Tenant.Create(TenantId.Default, Tenant.DefaultName, null, now).Value);
            }

            var configured = options.Value.BootstrapKey is { Length: > 0 } supplied ? supplied.Trim() : null;
            var issued = ApiKey.Issue(TenantId.Default, "bootstrap admin", ApiScopes.All, null, now, configured);
            if (issued.IsFailure)
            {
                throw new BootstrapKeyInvalidException($"Auth:BootstrapKey is not usable: {issued.Error!.Message}");
            }

            db.ApiKeys.Add(issued.Value.Key);
            var path = Path.GetFullPath(options.Value.ResolveKeyFile());
            if (configured is null)
            {
                WriteKeyFile(path, issued.Value.Secret);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            if (configured is null)
            {
                LogWritten(logger, path, issued.Value.Key.Prefix);
                return BootstrapOutcome.KeyWritten;
            }

            LogConfigured(logger, issued.Value.Key.Prefix);
            return BootstrapOutcome.ConfiguredKeyStored;
        });
    }

    /// <summary>Written to a temporary file with mode 600 and renamed into place, so the key is never readable by others or half-written.</summary>
    private static void WriteKeyFile(string path, string secret)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(PrivateFile.Create(temporary)))
        {
            writer.WriteLine(secret);
        }

        File.Move(temporary, path, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key existed: created an admin key ({Prefix}...) for tenant 'default' and wrote it to {Path}")]
    private static partial void LogWritten(ILogger logger, string path, string prefix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key existed: stored Auth:BootstrapKey ({Prefix}...) as the admin key of tenant 'default'")]
    private static partial void LogConfigured(ILogger logger, string prefix);
}

/// <summary>The configured bootstrap key is not a key: a configuration error that stops the service.</summary>
public sealed class BootstrapKeyInvalidException(string message) : Exception(message);

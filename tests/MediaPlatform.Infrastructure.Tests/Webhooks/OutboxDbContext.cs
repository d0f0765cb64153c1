using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Tests.Webhooks;

/// <summary>A unit of work with the transactional outbox the service's units of work carry (<see cref="WebhookOutbox"/>).</summary>
internal static class OutboxDbContext
{
    public static MediaPlatformDbContext Create(string connectionString)
    {
        var options = new DbContextOptionsBuilder<MediaPlatformDbContext>();
        PersistenceSetup.Configure(options, connectionString, new DatabaseOptions { ConnectionString = connectionString });
        options.AddInterceptors(new WebhookOutbox());
        return new MediaPlatformDbContext(options.Options);
    }
}

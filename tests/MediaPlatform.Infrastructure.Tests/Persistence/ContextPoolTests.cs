using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain;
using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MediaPlatform.Infrastructure.Tests.Persistence;

/// <summary>
/// A pooled context handed back by one scope and rented by the next must belong to the next alone. The context was
/// also registered as <see cref="IUnitOfWork"/> and <see cref="IDomainEventSource"/> through factories, so a scope
/// disposed it once per name: when another scope rented it between two of those disposals, the late one ended that
/// scope's lease and its save failed with "Cannot access a disposed context instance" (a rare 500 under load, seen
/// as one failed cancel among a thousand).
/// </summary>
public sealed class ContextPoolTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task A_context_rented_while_the_previous_scope_ends_stays_usable()
    {
        AsyncServiceScope? next = null;
        IServiceScopeFactory? scopes = null;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = fixture.ConnectionString,
            ["Database:DbContextPoolSize"] = "1",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddInfrastructure(configuration);
        // Disposed by the ending scope between the services resolved before and after it (a scope disposes in reverse
        // order): it rents a context the way the next request would, at the worst moment.
        services.AddScoped(_ => new OnDispose(() =>
        {
            next = scopes!.CreateAsyncScope();
            next.Value.ServiceProvider.GetRequiredService<MediaPlatformDbContext>();
        }));
        await using var provider = services.BuildServiceProvider();
        scopes = provider.GetRequiredService<IServiceScopeFactory>();

        await using (var scope = provider.CreateAsyncScope())
        {
            // What a command's pipeline resolves: the context (repositories), the unit of work, the event source.
            _ = scope.ServiceProvider.GetRequiredService<MediaPlatformDbContext>();
            _ = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
            _ = scope.ServiceProvider.GetRequiredService<OnDispose>();
            _ = scope.ServiceProvider.GetRequiredService<IDomainEventSource>();
        }

        Assert.NotNull(next);
        var rented = next.Value.ServiceProvider;
        var db = rented.GetRequiredService<MediaPlatformDbContext>();
        await rented.GetRequiredService<IUnitOfWork>().SaveChangesAsync();
        Assert.Equal(1, await db.Database.SqlQueryRaw<int>("select 1 as \"Value\"").SingleAsync());
        await next.Value.DisposeAsync();
    }

    private sealed class OnDispose(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

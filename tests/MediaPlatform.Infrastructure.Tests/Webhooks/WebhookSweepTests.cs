using MediaPlatform.Application.Webhooks;
using MediaPlatform.Domain.Common;
using MediaPlatform.Infrastructure.Webhooks;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure.Tests.Webhooks;

/// <summary>The dispatcher's sweep keeps what a delivery may still need and removes the rest, against real PostgreSQL.</summary>
public sealed class WebhookSweepTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task The_sweep_removes_unwanted_old_events_and_old_finished_deliveries_and_keeps_everything_still_in_use()
    {
        var connectionString = await fixture.Server.CreateMigratedDatabaseAsync();
        try
        {
            await using var source = NpgsqlDataSource.Create(connectionString);
            var subscription = Guid.CreateVersion7();
            await ExecuteAsync(source, $$"""
                INSERT INTO webhook_subscription (id, tenant_id, url, events, description, secret, created_at, updated_at)
                VALUES ('{{subscription}}', '00000000-0000-0000-0000-000000000001', 'https://93.184.215.14/h', ARRAY['*'], NULL, 'whsec_AAAA', now(), now());
                INSERT INTO webhook_event (id, tenant_id, type, job_id, payload, created_at, fanned_out_at) VALUES
                  ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-000000000001', 'job.succeeded', NULL, '{}', now() - interval '2 hours', now() - interval '2 hours'),
                  ('00000000-0000-0000-0000-00000000000b', '00000000-0000-0000-0000-000000000001', 'job.succeeded', NULL, '{}', now() - interval '2 hours', now() - interval '2 hours'),
                  ('00000000-0000-0000-0000-00000000000c', '00000000-0000-0000-0000-000000000001', 'job.succeeded', NULL, '{}', now() - interval '10 minutes', now() - interval '10 minutes'),
                  ('00000000-0000-0000-0000-00000000000d', '00000000-0000-0000-0000-000000000001', 'job.succeeded', NULL, '{}', now() - interval '8 days', now() - interval '8 days'),
                  ('00000000-0000-0000-0000-00000000000e', '00000000-0000-0000-0000-000000000001', 'job.succeeded', NULL, '{}', now() - interval '8 days', NULL);
                INSERT INTO webhook_delivery (id, subscription_id, event_id, tenant_id, job_id, event_created_at, status, attempts, next_attempt_at, retry_until, created_at) VALUES
                  (gen_random_uuid(), '{{subscription}}', '00000000-0000-0000-0000-00000000000b', '00000000-0000-0000-0000-000000000001', NULL, now(), 'pending', 3, now(), now() + interval '1 day', now() - interval '2 hours'),
                  (gen_random_uuid(), '{{subscription}}', '00000000-0000-0000-0000-00000000000d', '00000000-0000-0000-0000-000000000001', NULL, now(), 'delivered', 1, now(), now(), now() - interval '8 days');
                """);
            var dispatcher = new WebhookDispatcher(
                source, new NoHttp(), new AllowAll(), Options.Create(new WebhookOptions { KeepDays = 7 }), TimeProvider.System, NullLogger<WebhookDispatcher>.Instance);

            await dispatcher.SweepAsync(CancellationToken.None);

            // a: nobody wanted it, an hour ago: gone. b: its delivery is still pending. c: too recent to tell. d: its
            // delivery finished over a week ago: both gone. e: not fanned out yet.
            Assert.Equal(["b", "c", "e"], await ListAsync(source, "SELECT right(id::text, 1) FROM webhook_event ORDER BY id"));
            Assert.Equal(["pending"], await ListAsync(source, "SELECT status FROM webhook_delivery"));
        }
        finally
        {
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> ListAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("The sweep sends nothing.");
    }

    private sealed class AllowAll : IWebhookUrlGuard
    {
        public Task<Result> CheckAsync(Uri url, CancellationToken cancellationToken = default) => Task.FromResult(Result.Success());
    }
}

using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure.Idempotency;
using MediaPlatform.TestSupport.Postgres;
using Npgsql;

namespace MediaPlatform.Infrastructure.Tests.Idempotency;

public sealed class PostgresIdempotencyStoreTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset _now = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_key_is_claimed_once_then_replays_its_stored_response()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString);
        var store = new PostgresIdempotencyStore(dataSource);
        var key = Guid.NewGuid().ToString();

        var first = await store.ClaimAsync(TenantId.Default, key, _now, _now.AddHours(24));
        var whileRunning = await store.ClaimAsync(TenantId.Default, key, _now, _now.AddHours(24));
        await store.CompleteAsync(TenantId.Default, key, first.Owner, "fingerprint", new StoredResponse(201, "application/json", "/x", [1, 2, 3]));
        var replay = await store.ClaimAsync(TenantId.Default, key, _now.AddMinutes(1), _now.AddHours(24));

        Assert.True(first.Claimed);
        Assert.Equal(new IdempotencyClaim(false, null, null), whileRunning);
        Assert.NotEqual(Guid.Empty, first.Owner);
        Assert.False(replay.Claimed);
        Assert.Equal("fingerprint", replay.Fingerprint);
        Assert.Equal([1, 2, 3], replay.Response!.Body);
        Assert.Equal((201, "/x"), (replay.Response.StatusCode, replay.Response.Location));
    }

    [Fact]
    public async Task A_claim_abandoned_by_a_crashed_request_can_be_taken_again()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString);
        var store = new PostgresIdempotencyStore(dataSource);
        var key = Guid.NewGuid().ToString();
        await store.ClaimAsync(TenantId.Default, key, _now, _now.AddHours(24));

        var soon = await store.ClaimAsync(TenantId.Default, key, _now.AddMinutes(1), _now.AddHours(24));
        var later = await store.ClaimAsync(TenantId.Default, key, _now + PostgresIdempotencyStore.AbandonedClaimAge, _now.AddHours(24));

        Assert.False(soon.Claimed);
        Assert.True(later.Claimed);
    }

    [Fact]
    public async Task A_claim_renewed_by_its_running_request_is_not_taken_as_abandoned()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString);
        var store = new PostgresIdempotencyStore(dataSource);
        var key = Guid.NewGuid().ToString();
        var claim = await store.ClaimAsync(TenantId.Default, key, _now, _now.AddHours(24));

        // A slow upload: 20 minutes, renewing every half minute.
        for (var t = _now; t < _now.AddMinutes(20); t += IdempotencyClaim.RenewInterval)
        {
            await store.RenewAsync(TenantId.Default, key, claim.Owner, t);
        }

        var other = await store.ClaimAsync(TenantId.Default, key, _now.AddMinutes(20).AddSeconds(10), _now.AddHours(24));
        Assert.False(other.Claimed);
        Assert.True(await store.CompleteAsync(TenantId.Default, key, claim.Owner, "f", new StoredResponse(201, null, null, [])));
    }

    [Fact]
    public async Task A_request_that_lost_its_claim_can_neither_complete_nor_release_the_new_holders_claim()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString);
        var store = new PostgresIdempotencyStore(dataSource);
        var key = Guid.NewGuid().ToString();
        var stalled = await store.ClaimAsync(TenantId.Default, key, _now, _now.AddHours(24));
        var taker = await store.ClaimAsync(TenantId.Default, key, _now + PostgresIdempotencyStore.AbandonedClaimAge, _now.AddHours(24));

        await store.ReleaseAsync(TenantId.Default, key, stalled.Owner);
        var completedByStalled = await store.CompleteAsync(TenantId.Default, key, stalled.Owner, "stalled", new StoredResponse(201, null, null, [9]));
        var completedByTaker = await store.CompleteAsync(TenantId.Default, key, taker.Owner, "taker", new StoredResponse(201, null, null, [1]));

        Assert.True(taker.Claimed);
        Assert.False(completedByStalled);
        Assert.True(completedByTaker);
        Assert.Equal("taker", (await store.ClaimAsync(TenantId.Default, key, _now.AddMinutes(5), _now.AddHours(24))).Fingerprint);
    }

    [Fact]
    public async Task Expired_keys_are_purged_and_then_free()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString);
        var store = new PostgresIdempotencyStore(dataSource);
        var key = Guid.NewGuid().ToString();
        var claim = await store.ClaimAsync(TenantId.Default, key, _now, _now.AddHours(1));
        await store.CompleteAsync(TenantId.Default, key, claim.Owner, "f", new StoredResponse(202, null, null, []));

        var purged = await store.PurgeExpiredAsync(_now.AddHours(2));

        Assert.True(purged >= 1);
        Assert.True((await store.ClaimAsync(TenantId.Default, key, _now.AddHours(2), _now.AddHours(3))).Claimed);
    }
}

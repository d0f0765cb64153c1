using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.Infrastructure.Persistence.Repositories;
using MediaPlatform.Infrastructure.Webhooks;
using MediaPlatform.TestSupport.Builders;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Tests.Queue;

/// <summary>The claim across tenants: a backlog never starves another tenant, and maxConcurrentJobs holds under concurrent claimers.</summary>
public sealed class FairQueueTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly TimeSpan _lease = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset _now = TestData.Epoch.AddHours(1);

    [Fact]
    public async Task A_lone_job_of_another_tenant_is_claimed_second_although_a_thousand_older_jobs_wait()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            var busy = await SaveTenantAsync(connectionString, "busy");
            var quiet = await SaveTenantAsync(connectionString, "quiet");
            await SaveJobsAsync(connectionString, busy, 1000, TestData.Epoch);
            var lone = (await SaveJobsAsync(connectionString, quiet, 1, TestData.Epoch.AddMinutes(30))).Single();

            var first = await ClaimAsync(connectionString, "w1");
            var second = await ClaimAsync(connectionString, "w2");

            Assert.Equal(busy.Id, first!.TenantId);
            Assert.Equal(lone.Id, second!.Id);
        });
    }

    [Fact]
    public async Task Within_the_fair_pick_a_higher_priority_still_goes_first()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            var a = await SaveTenantAsync(connectionString, "a");
            var b = await SaveTenantAsync(connectionString, "b");
            await SaveJobsAsync(connectionString, a, 5, TestData.Epoch, priority: 50);
            await SaveJobsAsync(connectionString, b, 5, TestData.Epoch, priority: 0);

            var claims = new List<Job?>();
            for (var i = 0; i < 5; i++)
            {
                claims.Add(await ClaimAsync(connectionString, $"w{i}"));
            }

            Assert.All(claims, j => Assert.Equal(a.Id, j!.TenantId));
        });
    }

    [Fact]
    public async Task Eight_concurrent_claimers_never_run_more_jobs_of_a_tenant_than_its_max_concurrent_jobs_and_fill_it()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            var limited = await SaveTenantAsync(connectionString, "limited", new TenantLimits(MaxConcurrentJobs: 2));
            var free = await SaveTenantAsync(connectionString, "free");
            await SaveJobsAsync(connectionString, limited, 20, TestData.Epoch);
            await SaveJobsAsync(connectionString, free, 3, TestData.Epoch.AddMinutes(1));

            for (var round = 0; round < 5; round++)
            {
                using var start = new Barrier(8);
                var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
                {
                    await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
                    await db.Database.OpenConnectionAsync();
                    start.SignalAndWait();
                    return await new JobRepository(db).ClaimNextAsync($"r{round}-w{w}", _lease, _now);
                })));

                await using var read = PostgresDatabaseFixture.CreateDbContext(connectionString);
                var running = await read.Jobs.CountAsync(j => j.TenantId == limited.Id && j.Status == JobStatus.Running);
                Assert.InRange(running, 1, 2);
                Assert.Equal(claims.Count(c => c is not null), claims.Where(c => c is not null).Select(c => c!.Id).Distinct().Count());
            }

            // The limit is reached (claimers that found the tenant's lock busy skipped it for that claim only), and
            // the free tenant's jobs were not held back by the limited one.
            await using var final = PostgresDatabaseFixture.CreateDbContext(connectionString);
            Assert.Equal(2, await final.Jobs.CountAsync(j => j.TenantId == limited.Id && j.Status == JobStatus.Running));
            Assert.Equal(3, await final.Jobs.CountAsync(j => j.TenantId == free.Id && j.Status == JobStatus.Running));
        });
    }

    [Fact]
    public async Task A_tenant_at_its_limit_gets_a_job_again_once_one_finishes()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            var limited = await SaveTenantAsync(connectionString, "one-at-a-time", new TenantLimits(MaxConcurrentJobs: 1));
            await SaveJobsAsync(connectionString, limited, 2, TestData.Epoch);

            var first = await ClaimAsync(connectionString, "w1");
            Assert.Null(await ClaimAsync(connectionString, "w2"));
            await using (var db = PostgresDatabaseFixture.CreateDbContext(connectionString))
            {
                var job = await db.Jobs.SingleAsync(j => j.Id == first!.Id);
                job.Complete("w1", _now);
                await db.SaveChangesAsync();
            }

            Assert.NotNull(await ClaimAsync(connectionString, "w3"));
        });
    }

    [Fact]
    public async Task A_batch_claim_takes_the_lone_job_of_another_tenant_beside_a_thousand_older_ones()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            var busy = await SaveTenantAsync(connectionString, "busy");
            var quiet = await SaveTenantAsync(connectionString, "quiet");
            await SaveJobsAsync(connectionString, busy, 1000, TestData.Epoch);
            var lone = (await SaveJobsAsync(connectionString, quiet, 1, TestData.Epoch.AddMinutes(30))).Single();

            var batch = await ClaimBatchAsync(connectionString, "a", "b", "c", "d");

            Assert.Equal(4, batch.Count);
            Assert.Contains(batch, j => j.Id == lone.Id);
            Assert.Equal(3, batch.Count(j => j.TenantId == busy.Id));
        });
    }

    [Fact]
    public async Task A_batch_claim_starts_every_job_through_the_aggregate_with_its_own_lease_owner()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            var tenant = await SaveTenantAsync(connectionString, "t");
            var queued = await SaveJobsAsync(connectionString, tenant, 3, TestData.Epoch);
            await using (var subscribing = PostgresDatabaseFixture.CreateDbContext(connectionString))
            {
                subscribing.WebhookSubscriptions.Add(TestData.EverythingSubscription()).Property(w => w.TenantId).CurrentValue = tenant.Id;
                await subscribing.SaveChangesAsync();
            }

            // With the transactional outbox the service's units of work carry.
            IReadOnlyList<Job> batch;
            await using (var claimer = Webhooks.OutboxDbContext.Create(connectionString))
            {
                batch = await new JobRepository(claimer).ClaimBatchAsync(["w1", "w2", "w3", "w4"], _lease, _now);
            }

            // Three due jobs for four owners: three claims, the i-th job leased to the i-th owner, oldest first.
            Assert.Equal(queued.Select(j => j.Id), batch.Select(j => j.Id));
            Assert.Equal(["w1", "w2", "w3"], batch.Select(j => j.LeaseOwner));
            await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
            var stored = await db.Jobs.IgnoreQueryFilters().OrderBy(j => j.RunAfter).ToListAsync();
            Assert.All(stored, j =>
            {
                Assert.Equal(JobStatus.Running, j.Status);
                Assert.Equal(1, j.Attempts);
                Assert.Equal(_now + _lease, j.LeaseExpiresAt);
                Assert.Equal(_now, j.StartedAt);
            });
            Assert.Equal(["w1", "w2", "w3"], stored.Select(j => j.LeaseOwner));
            // Each start wrote its job.started outbox row in the claim's transaction, as a single claim does.
            Assert.Equal(3, await db.WebhookEvents.IgnoreQueryFilters().CountAsync(e => e.Type == "job.started"));
        });
    }

    [Fact]
    public async Task A_batch_claim_stays_within_max_concurrent_jobs_and_fills_the_rest_from_other_tenants()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            var limited = await SaveTenantAsync(connectionString, "limited", new TenantLimits(MaxConcurrentJobs: 2));
            var free = await SaveTenantAsync(connectionString, "free");
            await SaveJobsAsync(connectionString, limited, 20, TestData.Epoch);
            await SaveJobsAsync(connectionString, free, 3, TestData.Epoch.AddMinutes(1));

            var batch = await ClaimBatchAsync(connectionString, [.. Enumerable.Range(0, 8).Select(i => $"w{i}")]);

            Assert.Equal(2, batch.Count(j => j.TenantId == limited.Id));
            Assert.Equal(3, batch.Count(j => j.TenantId == free.Id));
            Assert.Empty(await ClaimBatchAsync(connectionString, "x", "y"));
        });
    }

    [Fact]
    public async Task Four_concurrent_batch_claimers_never_get_the_same_job_and_take_them_all()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            var a = await SaveTenantAsync(connectionString, "a");
            var b = await SaveTenantAsync(connectionString, "b");
            var queued = (await SaveJobsAsync(connectionString, a, 40, TestData.Epoch))
                .Concat(await SaveJobsAsync(connectionString, b, 17, TestData.Epoch)).Select(j => j.Id).ToHashSet();

            var claimed = new List<Guid>();
            for (var round = 0; round < 10 && claimed.Count < queued.Count; round++)
            {
                using var start = new Barrier(4);
                var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
                {
                    await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
                    await db.Database.OpenConnectionAsync();
                    start.SignalAndWait();
                    return await new JobRepository(db).ClaimBatchAsync([.. Enumerable.Range(0, 5).Select(i => $"r{round}-w{w}-{i}")], _lease, _now);
                })));
                claimed.AddRange(batches.SelectMany(batch => batch).Select(j => j.Id.Value));
            }

            Assert.Equal(claimed.Count, claimed.Distinct().Count());
            Assert.True(queued.SetEquals(claimed.Select(id => new JobId(id))));
        });
    }

    [Fact]
    public async Task A_batch_claim_with_two_jobs_for_one_owner_is_refused()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
            await Assert.ThrowsAsync<ArgumentException>(() => new JobRepository(db).ClaimBatchAsync(["w", "w"], _lease, _now));
        });
    }

    [Fact]
    public async Task A_claim_looks_up_the_jobs_it_picked_by_id_even_while_the_statistics_say_the_queue_is_empty()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            // Emptied, then filled faster than autovacuum analyses it: the planner still thinks the table is empty.
            var tenant = await SaveTenantAsync(connectionString, "busy");
            await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
            await db.Database.ExecuteSqlRawAsync("TRUNCATE job CASCADE");
            const int Queued = 2000;
            await SaveJobsAsync(connectionString, tenant, Queued, TestData.Epoch);

            await db.Database.OpenConnectionAsync();
            var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
            await using var explain = new Npgsql.NpgsqlCommand($"EXPLAIN (ANALYZE, FORMAT JSON) {JobRepository.ClaimCandidatesSql}", connection);
            explain.Parameters.AddWithValue("now", _now);
            explain.Parameters.AddWithValue("skip", Array.Empty<Guid>());
            explain.Parameters.AddWithValue("taken", Array.Empty<Guid>());
            explain.Parameters.AddWithValue("taken_tenants", Array.Empty<Guid>());
            explain.Parameters.AddWithValue("limit", 40);
            explain.Parameters.AddWithValue("pool", 88);
            var plan = System.Text.Json.JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);

            // Joining the 88 picked rows to the queue row by row compared each with every queued job (176,000 rows
            // thrown away, 80 ms for a claim of 40); the lookup by id reads the queue at most once.
            var discarded = Nodes(plan.RootElement[0].GetProperty("Plan"))
                .Sum(n => n.TryGetProperty("Rows Removed by Join Filter", out var removed) ? removed.GetInt64() : 0);
            Assert.InRange(discarded, 0, Queued);
        });
    }

    [Fact]
    public async Task A_claim_reads_about_the_rows_it_takes_however_many_jobs_are_queued_and_whatever_plan_its_connection_cached()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            // Statistics gathered while every job was finished, the table emptied (a retention purge, the bench),
            // then a pooled connection prepares the claim while few jobs are queued and PostgreSQL caches a plan for
            // that size (force_generic_plan makes it cache one at once), then a burst faster than autovacuum analyses.
            var tenant = await SaveTenantAsync(connectionString, "burst");
            await SaveJobsAsync(connectionString, tenant, 300, TestData.Epoch);
            await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
            await db.Database.ExecuteSqlRawAsync("UPDATE job SET status = 'succeeded', started_at = created_at, finished_at = created_at, progress = 100");
            await db.Database.ExecuteSqlRawAsync("ANALYZE job");
            await db.Database.ExecuteSqlRawAsync("TRUNCATE job CASCADE");
            await SaveJobsAsync(connectionString, tenant, 5, TestData.Epoch);

            await db.Database.OpenConnectionAsync();
            var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
            var statement = JobRepository.ClaimCandidatesSql
                .Replace("@now", "$1", StringComparison.Ordinal).Replace("@skip", "$2", StringComparison.Ordinal)
                .Replace("@taken_tenants", "$3", StringComparison.Ordinal).Replace("@taken", "$4", StringComparison.Ordinal)
                .Replace("@pool", "$5", StringComparison.Ordinal).Replace("@limit", "$6", StringComparison.Ordinal);
            // A utility statement takes no bound parameters: the time goes in as a literal.
            var execute = $"EXECUTE claim('{_now:O}', '{{}}', '{{}}', '{{}}', 88, 40)";
            await using (var prepare = new Npgsql.NpgsqlCommand(
                $"SET plan_cache_mode = force_generic_plan; PREPARE claim(timestamptz, uuid[], uuid[], uuid[], int, int) AS {statement}; {execute}", connection))
            {
                await prepare.ExecuteNonQueryAsync();
            }

            const int Queued = 4000;
            await SaveJobsAsync(connectionString, tenant, Queued, TestData.Epoch.AddMinutes(1));

            // The claim as the repository runs it: in its transaction, after its plan setting.
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var setting = new Npgsql.NpgsqlCommand(JobRepository.CustomPlansSql, connection, transaction))
            {
                await setting.ExecuteNonQueryAsync();
            }

            await using var explain = new Npgsql.NpgsqlCommand($"EXPLAIN (ANALYZE, FORMAT JSON) {execute}", connection, transaction);
            var plan = System.Text.Json.JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);

            // Every row a node produced or threw away. The plan cached for five jobs read every queued job, and with
            // those statistics even a fresh plan counted the tenant's running jobs by reading all its jobs and looked
            // the picked ids up by reading every queued one: 8,700 rows for this claim, more with every job queued.
            // A claim of 40 out of a pool of 88 needs under a thousand.
            var rows = Nodes(plan.RootElement[0].GetProperty("Plan")).Sum(n =>
                (Number(n, "Actual Rows") * Math.Max(1, Number(n, "Actual Loops")))
                + Number(n, "Rows Removed by Filter") + Number(n, "Rows Removed by Join Filter") + Number(n, "Rows Removed by Index Recheck"));
            Assert.True(rows < Queued / 2, $"The claim handled {rows} rows with {Queued + 5} jobs queued:\n{plan.RootElement}");
        });

        static long Number(System.Text.Json.JsonElement node, string name) =>
            node.TryGetProperty(name, out var value) ? value.GetInt64() : 0;
    }

    [Fact]
    public async Task The_repository_sends_its_claim_with_the_setting_that_plans_it_for_the_queue_it_finds()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            // The plan test above runs the setting and the statement by hand; this one holds the repository to it.
            var tenant = await SaveTenantAsync(connectionString, "plans");
            await SaveJobsAsync(connectionString, tenant, 3, TestData.Epoch);
            var commands = new CommandTexts();
            var options = new DbContextOptionsBuilder<MediaPlatformDbContext>();
            PersistenceSetup.Configure(options, connectionString, new DatabaseOptions { ConnectionString = connectionString });
            options.AddInterceptors(commands);
            await using var db = new MediaPlatformDbContext(options.Options);

            var claimed = await new JobRepository(db).ClaimBatchAsync(["a", "b"], _lease, _now);

            Assert.Equal(2, claimed.Count);
            var claim = Assert.Single(commands.Texts, t => t.Contains("FOR UPDATE OF j SKIP LOCKED", StringComparison.Ordinal));
            Assert.StartsWith(JobRepository.CustomPlansSql + ";", claim, StringComparison.Ordinal);
        });
    }

    /// <summary>The text of every command a context sends.</summary>
    private sealed class CommandTexts : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Texts { get; } = new();

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command,
            Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result,
            CancellationToken cancellationToken = default)
        {
            Texts.Enqueue(command.CommandText);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    /// <summary>Every node of an <c>EXPLAIN (FORMAT JSON)</c> plan, the root first.</summary>
    private static IEnumerable<System.Text.Json.JsonElement> Nodes(System.Text.Json.JsonElement node) =>
        node.TryGetProperty("Plans", out var children)
            ? children.EnumerateArray().SelectMany(Nodes).Prepend(node)
            : [node];

    [Fact]
    public async Task A_full_queue_still_lets_its_jobs_be_claimed_and_the_database_refuses_a_finished_job_queued_again()
    {
        await WithDatabaseAsync(async connectionString =>
        {
            var tenant = await SaveTenantAsync(connectionString, "full", new TenantLimits(MaxQueuedJobs: 2));
            var jobs = await SaveJobsAsync(connectionString, tenant, 2, TestData.Epoch);

            // The queue guard fires only for rows that become queued: a claim at the limit is never refused.
            var claimed = await ClaimAsync(connectionString, "w1");
            Assert.NotNull(claimed);
            await using var data = Npgsql.NpgsqlDataSource.Create(connectionString);
            await using (var fail = data.CreateCommand($"UPDATE job SET status = 'failed', lease_owner = NULL WHERE id = '{claimed.Id.Value}'"))
            {
                Assert.Equal(1, await fail.ExecuteNonQueryAsync());
            }

            await SaveJobsAsync(connectionString, tenant, 1, TestData.Epoch.AddMinutes(1));
            await using var requeue = data.CreateCommand($"UPDATE job SET status = 'queued' WHERE id = '{claimed.Id.Value}'");
            var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => requeue.ExecuteNonQueryAsync());
            Assert.Equal("MP429", refused.SqlState);
            Assert.Contains(jobs, j => j.Id == claimed.Id);
        });
    }

    private static async Task<IReadOnlyList<Job>> ClaimBatchAsync(string connectionString, params string[] workers)
    {
        await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
        return await new JobRepository(db).ClaimBatchAsync(workers, _lease, _now);
    }

    private static async Task<Job?> ClaimAsync(string connectionString, string worker)
    {
        await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
        return await new JobRepository(db).ClaimNextAsync(worker, _lease, _now);
    }

    private static async Task<Tenant> SaveTenantAsync(string connectionString, string name, TenantLimits? limits = null)
    {
        var tenant = Tenant.Create(name, limits, TestData.Epoch).Value;
        await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();
        return tenant;
    }

    private static async Task<List<Job>> SaveJobsAsync(string connectionString, Tenant tenant, int count, DateTimeOffset at, int priority = 0)
    {
        await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
        var media = TestData.UploadedMedia(at);
        Own(db.MediaAssets.Add(media).Property(m => m.TenantId), tenant);
        var jobs = Enumerable.Range(0, count).Select(i => TestData.QueuedJob(media, at.AddMilliseconds(i), priority)).ToList();
        foreach (var job in jobs)
        {
            Own(db.Jobs.Add(job).Property(j => j.TenantId), tenant);
        }

        await db.SaveChangesAsync();
        return jobs;
    }

    private static void Own(Microsoft.EntityFrameworkCore.ChangeTracking.PropertyEntry<MediaAsset, TenantId> property, Tenant tenant) => property.CurrentValue = tenant.Id;

    private static void Own(Microsoft.EntityFrameworkCore.ChangeTracking.PropertyEntry<Job, TenantId> property, Tenant tenant) => property.CurrentValue = tenant.Id;

    /// <summary>A database of its own per test, so other tests' jobs are never claimed here.</summary>
    private async Task WithDatabaseAsync(Func<string, Task> test)
    {
        var connectionString = await fixture.Server.CreateMigratedDatabaseAsync();
        try
        {
            await test(connectionString);
        }
        finally
        {
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }
}

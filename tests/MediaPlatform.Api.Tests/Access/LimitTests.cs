using System.Net;
using System.Net.Http.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure.Tenancy;
using MediaPlatform.TestSupport.Builders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaPlatform.Api.Tests.Access;

/// <summary>Every limit of a tenant, enforced on real requests.</summary>
public sealed class LimitTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Requests_over_the_per_minute_limit_are_429_with_retry_after()
    {
        var (_, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"rpm-{Guid.NewGuid():N}", new { requestsPerMinute = 5 });

        var codes = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 8; i++)
        {
            last = await client.GetAsync(new Uri("/api/v1/jobs", UriKind.Relative));
            codes.Add(last.StatusCode);
        }

        // The window is a calendar minute: at most two windows can be touched by 8 quick requests.
        Assert.InRange(codes.Count(c => c == HttpStatusCode.OK), 5, 7);
        Assert.Contains(HttpStatusCode.TooManyRequests, codes);
        var rejected = codes.IndexOf(HttpStatusCode.TooManyRequests);
        Assert.All(codes.Skip(rejected).Take(2), c => Assert.NotEqual(HttpStatusCode.InternalServerError, c));
        if (last.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var problem = await last.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal("tenant.requests_per_minute", problem.GetProperty("code").GetString());
            Assert.InRange(last.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        }

        // Another tenant is not affected.
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync(new Uri("/api/v1/jobs", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Submitting_past_max_queued_jobs_is_429_naming_the_limit()
    {
        var (_, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"queue-{Guid.NewGuid():N}", new { maxQueuedJobs = 2 });
        var media = (await (await client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav()))).ReadSuccessAsync()).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media })).StatusCode);
        var third = await client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media });

        var problem = await third.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("tenant.max_queued_jobs", problem.GetProperty("code").GetString());
        Assert.Contains("maxQueuedJobs", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await client.JsonAsync($"/api/v1/jobs?mediaId={media}")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Uploading_past_the_storage_limit_is_507_and_leaves_no_bytes_or_row()
    {
        var tone = TestMedia.ToneWav(1); // 32 KB
        var (tenant, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"storage-{Guid.NewGuid():N}", new { storageBytes = (long)(tone.Length * 1.5) });
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(tone))).StatusCode);
        var files = TestMedia.StoredFiles(factory.BlobRoot).Count;

        var second = await client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(tone));

        var problem = await second.AssertProblemAsync(HttpStatusCode.InsufficientStorage);
        Assert.Equal("tenant.storage_bytes", problem.GetProperty("code").GetString());
        Assert.Equal(files, TestMedia.StoredFiles(factory.BlobRoot).Count);
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.MediaAssets.CountAsync(m => m.TenantId == new TenantId(tenant)));
    }

    [Fact]
    public async Task Concurrent_submissions_never_queue_more_than_max_queued_jobs()
    {
        var (tenant, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"queue-race-{Guid.NewGuid():N}", new { maxQueuedJobs = 3 });
        var media = (await (await client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav()))).ReadSuccessAsync()).GetProperty("id").GetGuid();

        // Twelve submissions at once: each one's own count sees room, so only the store's count can hold the limit.
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media })));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Accepted))
        {
            var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal("tenant.max_queued_jobs", problem.GetProperty("code").GetString());
        }

        await using var db = factory.CreateDbContext();
        Assert.Equal(3, await db.Jobs.IgnoreQueryFilters().CountAsync(j => j.TenantId == new TenantId(tenant) && j.Status == Domain.Jobs.JobStatus.Queued));
    }

    [Fact]
    public async Task Concurrent_uploads_never_store_more_than_the_storage_limit()
    {
        var tone = TestMedia.ToneWav(1); // 32 KB
        var (tenant, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"storage-race-{Guid.NewGuid():N}", new { storageBytes = (long)(tone.Length * 2.5) });
        var before = TestMedia.StoredFiles(factory.BlobRoot).Count;

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(tone))));

        var created = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        Assert.InRange(created, 1, 2);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            var problem = await refused.AssertProblemAsync(HttpStatusCode.InsufficientStorage);
            Assert.Equal("tenant.storage_bytes", problem.GetProperty("code").GetString());
        }

        await using var db = factory.CreateDbContext();
        var stored = await db.MediaAssets.IgnoreQueryFilters().Where(m => m.TenantId == new TenantId(tenant)).ToListAsync();
        Assert.Equal(created, stored.Count);
        Assert.True(stored.Sum(m => m.SizeBytes ?? 0) <= tone.Length * 2.5);
        Assert.Equal(before + created, TestMedia.StoredFiles(factory.BlobRoot).Count); // refused uploads left no bytes
    }

    [Fact]
    public async Task Submitting_a_job_on_probed_media_longer_than_the_limit_is_422_naming_it()
    {
        var (tenant, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"length-{Guid.NewGuid():N}", new { maxMediaSeconds = 60 });
        var media = TestData.UploadedMedia();
        media.RecordProbe(new MediaStreamFacts(TimeSpan.FromMinutes(5), "pcm_s16le", null, 1, 16000), TestData.Epoch);
        await using (var db = factory.CreateDbContext())
        {
            db.MediaAssets.Add(media);
            db.Entry(media).Property(m => m.TenantId).CurrentValue = new TenantId(tenant);
            await db.SaveChangesAsync();
        }

        var response = await client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media.Id.Value });

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("tenant.max_media_seconds", problem.GetProperty("code").GetString());
        Assert.Contains("maxMediaSeconds (60 s)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idempotency_keys_belong_to_their_tenant()
    {
        var (_, b) = await TenantApi.CreateTenantWithClientAsync(factory, $"idem-{Guid.NewGuid():N}");
        var a = factory.CreateClient();
        var key = Guid.NewGuid().ToString();

        var fromA = await Send(a, key);
        var fromB = await Send(b, key);

        Assert.Equal(HttpStatusCode.Created, fromA.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fromB.StatusCode);
        Assert.False(fromB.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual((await fromA.ReadSuccessAsync()).GetProperty("id").GetGuid(), (await fromB.ReadSuccessAsync()).GetProperty("id").GetGuid());

        static Task<HttpResponseMessage> Send(HttpClient client, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/media") { Content = TestMedia.Upload(TestMedia.ToneWav(0.3)) };
            request.Headers.Add("Idempotency-Key", key);
            return client.SendAsync(request);
        }
    }

    [Fact]
    public async Task The_retention_sweeper_deletes_old_finished_jobs_and_media_with_their_bytes_and_keeps_the_rest()
    {
        var (tenant, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"retention-{Guid.NewGuid():N}", new { retentionDays = 7 });
        var oldMedia = (await (await client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav()))).ReadSuccessAsync()).GetProperty("id").GetGuid();
        var oldJob = (await (await client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = oldMedia })).ReadSuccessAsync()).GetProperty("id").GetGuid();
        var busyMedia = (await (await client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav()))).ReadSuccessAsync()).GetProperty("id").GetGuid();
        var busyJob = (await (await client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = busyMedia })).ReadSuccessAsync()).GetProperty("id").GetGuid();
        var newMedia = (await (await client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav()))).ReadSuccessAsync()).GetProperty("id").GetGuid();
        // The job says when it goes.
        var job = await client.JsonAsync($"/api/v1/jobs/{oldJob}");
        Assert.Equal(job.GetProperty("createdAt").GetDateTimeOffset().AddDays(7), job.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new Uri($"/api/v1/jobs/{oldJob}/cancel", UriKind.Relative), null)).StatusCode);
        string oldKey, busyKey;
        await using (var db = factory.CreateDbContext())
        {
            // Eight days pass for the first two media and their jobs; the second job is still queued.
            await db.Database.ExecuteSqlAsync($"UPDATE media_asset SET created_at = created_at - interval '8 days' WHERE id IN ({oldMedia}, {busyMedia})");
            await db.Database.ExecuteSqlAsync($"UPDATE job SET created_at = created_at - interval '8 days' WHERE id IN ({oldJob}, {busyJob})");
            oldKey = (await db.MediaAssets.SingleAsync(m => m.Id == new MediaAssetId(oldMedia))).StorageKey!;
            busyKey = (await db.MediaAssets.SingleAsync(m => m.Id == new MediaAssetId(busyMedia))).StorageKey!;
        }

        var (jobs, media) = await factory.Services.GetRequiredService<RetentionSweeper>().SweepAsync();

        Assert.True(jobs >= 1 && media >= 1, $"swept {jobs} jobs and {media} media");
        await (await client.GetAsync(new Uri($"/api/v1/jobs/{oldJob}", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync(new Uri($"/api/v1/media/{oldMedia}", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.False(File.Exists(Path.Combine(factory.BlobRoot, oldKey)));
        Assert.Equal("queued", (await client.JsonAsync($"/api/v1/jobs/{busyJob}")).GetProperty("status").GetString());
        Assert.Equal(busyMedia, (await client.JsonAsync($"/api/v1/media/{busyMedia}")).GetProperty("id").GetGuid());
        Assert.True(File.Exists(Path.Combine(factory.BlobRoot, busyKey)));
        Assert.Equal(newMedia, (await client.JsonAsync($"/api/v1/media/{newMedia}")).GetProperty("id").GetGuid());
        _ = tenant;
    }
}

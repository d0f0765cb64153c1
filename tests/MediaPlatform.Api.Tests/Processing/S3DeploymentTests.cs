using Amazon.S3.Model;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.TestSupport.Media;
using MediaPlatform.TestSupport.S3;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>The API in this process with <c>Storage__Provider=s3</c> against a real S3-protocol server; no workers of its own.</summary>
public sealed class S3ApiFactory : ApiFactory
{
    public S3Server S3 { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        S3 = await S3Server.StartAsync();
    }

    protected override Task DisposeDependenciesAsync() => S3.DisposeAsync().AsTask();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => S3.Settings;
}

/// <summary>The split deployment: API and worker as separate processes with separate data folders, sharing only PostgreSQL and S3.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class S3DeploymentTests(S3ApiFactory factory) : IClassFixture<S3ApiFactory>, IDisposable
{
    private readonly JobClient _jobs = new(factory.CreateClient());
    private readonly DirectoryInfo _workerData = Directory.CreateTempSubdirectory("mp-worker-data-");

    public void Dispose() => _workerData.Delete(recursive: true);

    [Fact]
    public async Task A_job_on_media_in_s3_runs_in_a_separate_worker_process_and_leaves_no_media_bytes_on_local_disk()
    {
        var (path, reference) = SpeechSamples.Librivox()[0];
        var mediaId = await _jobs.UploadAsync(path, "audio/wav");
        var media = await _jobs.GetAsync($"/api/v1/media/{mediaId}");
        Assert.Equal(new FileInfo(path).Length, media.GetProperty("sizeBytes").GetInt64());
        using (var s3 = factory.S3.CreateClient())
        {
            var objects = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = factory.S3.Bucket });
            Assert.Equal(new FileInfo(path).Length, Assert.Single(objects.S3Objects).Size);
        }

        var workerBlobs = Path.Combine(_workerData.FullName, "blobs");
        using var worker = WorkerProcess.Start(factory.ConnectionString, workerBlobs, leaseSeconds: 10, settings: factory.S3.Settings);
        var job = await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(mediaId), TimeSpan.FromSeconds(120));

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var transcription = await _jobs.GetAsync($"/api/v1/jobs/{job.GetProperty("id").GetGuid()}/transcription");
        var (errors, words) = SpeechSamples.WordErrors(reference, transcription.GetProperty("text").GetString()!);
        Assert.True(errors < words / 2, $"{errors} errors in {words} words");
        Assert.Equal("ready", (await _jobs.GetAsync($"/api/v1/media/{mediaId}")).GetProperty("status").GetString());

        // Nothing of the media stayed on either process's disk: no blobs, and the worker's scratch folder is empty.
        Assert.Empty(Files(factory.BlobRoot));
        Assert.Empty(Files(workerBlobs));
        Assert.Empty(Directory.EnumerateFileSystemEntries(worker.ScratchPath));
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories) : [];
}

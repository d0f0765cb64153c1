using Amazon.S3;
using Amazon.S3.Model;
using MediaPlatform.Infrastructure.Storage;
using MediaPlatform.TestSupport.S3;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Tests.Storage;

/// <summary>A real S3-protocol server (s3rver on loopback) for the tests of one class.</summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    public S3Server Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await S3Server.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The blob store contract on S3: each test gets a bucket of its own, and parts of 5 MiB.</summary>
public sealed class S3BlobStoreContractTests(S3ServerFixture fixture) : BlobStoreContract, IClassFixture<S3ServerFixture>, IDisposable
{
    private readonly List<IAmazonS3> _clients = [];
    private readonly Dictionary<IBlobStoreMaintenance, UploadLedger> _ledgers = [];

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private protected override async Task<IBlobStoreMaintenance> CreateStoreAsync()
    {
        var settings = new S3StorageOptions
        {
            ServiceUrl = fixture.Server.ServiceUrl,
            Bucket = $"test-{Guid.NewGuid():N}",
            AccessKey = S3Server.AccessKey,
            SecretKey = S3Server.SecretKey,
            PartSizeMegabytes = 5,
        };
        var client = S3Clients.Create(settings);
        _clients.Add(client);
        var ledger = new UploadLedger();
        client.BeforeRequestEvent += (_, e) => ledger.Saw(((Amazon.Runtime.WebServiceRequestEventArgs)e).Request);
        await client.PutBucketAsync(new PutBucketRequest { BucketName = settings.Bucket });
        var store = new S3BlobStore(client, Options.Create(new StorageOptions { Provider = "s3", S3 = settings }), TimeProvider.System);
        _ledgers[store] = ledger;
        return store;
    }

    /// <summary>
    /// s3rver can neither list nor abort multipart uploads, so what the store asked of the server is counted instead:
    /// every multipart upload it began, it completed or aborted.
    /// </summary>
    private protected override Task<int> UnfinishedWritesAsync(IBlobStoreMaintenance store) => Task.FromResult(_ledgers[store].Unfinished);

    private sealed class UploadLedger
    {
        private int _begun;
        private int _ended;

        public int Unfinished => Volatile.Read(ref _begun) - Volatile.Read(ref _ended);

        public void Saw(Amazon.Runtime.AmazonWebServiceRequest request)
        {
            switch (request)
            {
                case InitiateMultipartUploadRequest:
                    Interlocked.Increment(ref _begun);
                    break;
                case CompleteMultipartUploadRequest or AbortMultipartUploadRequest:
                    Interlocked.Increment(ref _ended);
                    break;
            }
        }
    }
}

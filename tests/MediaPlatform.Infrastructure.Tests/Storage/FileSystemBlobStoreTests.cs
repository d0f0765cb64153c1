using System.Security.Cryptography;
using MediaPlatform.Domain.Common;
using MediaPlatform.Infrastructure.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MediaPlatform.Infrastructure.Tests.Storage;

/// <summary>What only the file-system store does: its quota (the contract is in <see cref="BlobStoreContract"/>).</summary>
public sealed class FileSystemBlobStoreTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mp-blob-tests-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task A_blob_past_the_quota_is_insufficient_storage_and_leaves_no_file()
    {
        var store = Store(quota: 150_000);
        Assert.True((await store.SaveAsync(new MemoryStream(new byte[100_000]), long.MaxValue)).IsSuccess);

        var result = await store.SaveAsync(new MemoryStream(new byte[100_000]), long.MaxValue);

        Assert.Equal(ErrorType.InsufficientStorage, result.Error?.Type);
        Assert.Single(_root.GetFiles("*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Concurrent_uploads_never_take_the_store_past_its_quota()
    {
        var store = Store(quota: 1_000_000);

        // Eight uploads of 300 kB, written in interleaved slices: each starts when the store is empty.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.SaveAsync(new SlowStream(300_000), long.MaxValue)));

        var stored = results.Where(r => r.IsSuccess).ToList();
        Assert.InRange(stored.Count, 1, 3);
        Assert.All(results.Where(r => r.IsFailure), r => Assert.Equal(ErrorType.InsufficientStorage, r.Error?.Type));
        Assert.True(_root.GetFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) <= 1_000_000);
    }

    [Fact]
    public async Task Deleting_a_blob_gives_its_room_back_to_the_quota()
    {
        var store = Store(quota: 150_000);
        var first = (await store.SaveAsync(new MemoryStream(new byte[100_000]), long.MaxValue)).Value;
        await store.DeleteAsync(first.Key);

        var second = await store.SaveAsync(new MemoryStream(new byte[100_000]), long.MaxValue);

        Assert.True(second.IsSuccess);
    }

    private FileSystemBlobStore Store(long quota = 0) =>
        new(Options.Create(new StorageOptions { RootPath = _root.FullName, QuotaBytes = quota }), new FakeTimeProvider(new DateTimeOffset(2026, 1, 20, 9, 0, 0, TimeSpan.Zero)));

    /// <summary>A client sending its body in 20 kB slices with a pause between them, so concurrent uploads interleave.</summary>
    private sealed class SlowStream(int length) : Stream
    {
        private int _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(5, cancellationToken);
            var n = Math.Min(Math.Min(buffer.Length, 20_000), length - _read);
            buffer.Span[..n].Fill(7);
            _read += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

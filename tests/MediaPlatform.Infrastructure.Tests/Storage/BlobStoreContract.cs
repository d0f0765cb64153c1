using System.Security.Cryptography;
using MediaPlatform.Domain.Common;
using MediaPlatform.Infrastructure.Storage;

namespace MediaPlatform.Infrastructure.Tests.Storage;

/// <summary>
/// What every blob store promises, run against each implementation (the file system and a real S3-protocol server):
/// bytes back as they went in, hashed and counted; refused and interrupted writes leave nothing; keys the store did
/// not make are refused; a blob is materialised as a file for external programs.
/// </summary>
public abstract class BlobStoreContract
{
    /// <summary>Bytes that need more than one part in the S3 store (its tests use 5 MiB parts).</summary>
    protected const int LargerThanOnePart = (5 * 1024 * 1024) + 123_457;

    /// <summary>A new, empty store of the implementation under test.</summary>
    private protected abstract Task<IBlobStoreMaintenance> CreateStoreAsync();

    [Fact]
    public async Task A_blob_is_stored_with_its_hash_and_size_and_read_back()
    {
        var store = await CreateStoreAsync();
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        var stored = (await store.SaveAsync(new MemoryStream(bytes), 1_000_000)).Value;

        Assert.Equal(bytes.Length, stored.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        Assert.Equal(bytes, await ReadAllAsync(store, stored.Key));
        Assert.True(await store.ExistsAsync(stored.Key));
        Assert.Equal(bytes.Length, await store.SizeAsync(stored.Key));
    }

    [Fact]
    public async Task A_blob_larger_than_a_part_streams_up_and_comes_back_whole()
    {
        var store = await CreateStoreAsync();
        var bytes = RandomNumberGenerator.GetBytes(LargerThanOnePart * 2);

        var stored = (await store.SaveAsync(new MemoryStream(bytes), long.MaxValue)).Value;

        Assert.Equal(bytes.Length, stored.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        Assert.Equal(bytes, await ReadAllAsync(store, stored.Key));
        Assert.Equal(0, await UnfinishedWritesAsync(store));
    }

    [Fact]
    public async Task An_empty_blob_is_stored()
    {
        var store = await CreateStoreAsync();

        var stored = (await store.SaveAsync(new MemoryStream(), 10)).Value;

        Assert.Equal(0, stored.SizeBytes);
        Assert.Equal(0, await store.SizeAsync(stored.Key));
    }

    [Fact]
    public async Task A_blob_over_the_limit_is_refused_and_leaves_nothing()
    {
        var store = await CreateStoreAsync();

        var result = await store.SaveAsync(new MemoryStream(new byte[LargerThanOnePart + 10]), LargerThanOnePart);

        Assert.Equal(ErrorType.TooLarge, result.Error?.Type);
        await AssertEmptyAsync(store);
    }

    [Fact]
    public async Task An_interrupted_write_leaves_nothing()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<IOException>(() => store.SaveAsync(new FailingStream(after: LargerThanOnePart + 50_000), long.MaxValue));

        await AssertEmptyAsync(store);
    }

    [Fact]
    public async Task A_cancelled_write_leaves_nothing()
    {
        var store = await CreateStoreAsync();
        using var cancel = new CancellationTokenSource();
        var source = new FailingStream(after: int.MaxValue, onRead: total =>
        {
            if (total > LargerThanOnePart + 50_000)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveAsync(source, long.MaxValue, cancel.Token));

        await AssertEmptyAsync(store);
    }

    [Fact]
    public async Task A_blob_is_materialised_as_a_readable_file()
    {
        var store = await CreateStoreAsync();
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        var stored = (await store.SaveAsync(new MemoryStream(bytes), long.MaxValue)).Value;
        var folder = Directory.CreateTempSubdirectory("mp-materialise-");
        try
        {
            var path = Path.Combine(folder.FullName, "source");

            await store.CopyToFileAsync(stored.Key, path);

            Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
            await Assert.ThrowsAsync<FileNotFoundException>(() => store.CopyToFileAsync("2026/01/20/0123456789abcdef0123456789abcdef", Path.Combine(folder.FullName, "missing")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_deleted_blob_is_gone_and_deleting_a_missing_one_is_not_an_error()
    {
        var store = await CreateStoreAsync();
        var stored = (await store.SaveAsync(new MemoryStream(new byte[1000]), long.MaxValue)).Value;

        await store.DeleteAsync(stored.Key);
        await store.DeleteAsync(stored.Key);

        Assert.False(await store.ExistsAsync(stored.Key));
        Assert.Null(await store.SizeAsync(stored.Key));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync(stored.Key));
    }

    [Fact]
    public async Task The_store_lists_the_keys_it_holds_by_age()
    {
        var store = await CreateStoreAsync();
        var stored = (await store.SaveAsync(new MemoryStream(new byte[10]), long.MaxValue)).Value;

        Assert.Equal([stored.Key], await ToListAsync(store.ListKeysAsync(DateTimeOffset.UtcNow.AddMinutes(5))));
        Assert.Empty(await ToListAsync(store.ListKeysAsync(DateTimeOffset.UtcNow.AddMinutes(-5))));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("2026/01/20/../../../x")]
    [InlineData("")]
    public async Task Keys_the_store_did_not_make_are_refused(string key)
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SizeAsync(key));
    }

    /// <summary>Writes begun and never finished or cleaned up (partial files, multipart uploads).</summary>
    private protected virtual Task<int> UnfinishedWritesAsync(IBlobStoreMaintenance store) => store.RemoveAbandonedWritesAsync(DateTimeOffset.MaxValue);

    private async Task AssertEmptyAsync(IBlobStoreMaintenance store)
    {
        Assert.Empty(await ToListAsync(store.ListKeysAsync(DateTimeOffset.MaxValue)));
        Assert.Equal(0, await UnfinishedWritesAsync(store));
    }

    private static async Task<byte[]> ReadAllAsync(IBlobStoreMaintenance store, string key)
    {
        await using var read = await store.OpenReadAsync(key);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task<List<string>> ToListAsync(IAsyncEnumerable<string> keys)
    {
        var list = new List<string>();
        await foreach (var key in keys)
        {
            list.Add(key);
        }

        return list;
    }

    /// <summary>A client that disconnects (or is cancelled) mid-upload.</summary>
    protected sealed class FailingStream(int after, Action<long>? onRead = null) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= after)
            {
                throw new IOException("The client disconnected.");
            }

            var n = Math.Min(count, 50_000);
            buffer.AsSpan(offset, n).Fill(42);
            _read += n;
            onRead?.Invoke(_read);
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_read >= after)
            {
                throw new IOException("The client disconnected.");
            }

            var n = Math.Min(buffer.Length, 50_000);
            buffer.Span[..n].Fill(42);
            _read += n;
            onRead?.Invoke(_read);
            return ValueTask.FromResult(n);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

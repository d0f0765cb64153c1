using System.Buffers;
using System.Security.Cryptography;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Common;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Storage;

/// <summary>
/// Blobs as files under <see cref="StorageOptions.RootPath"/>, keyed <c>yyyy/MM/dd/&lt;uuid&gt;</c>. A write goes to
/// <c>.partial/</c> while it is hashed and counted, and is renamed into place only when complete, so a refused,
/// cancelled or crashed upload never leaves a blob that looks whole. With <see cref="StorageOptions.QuotaBytes"/>, every
/// chunk written reserves its bytes atomically against the quota (whole blobs counted from disk, re-counted every
/// 30 s, plus what uploads in flight have reserved), so concurrent uploads in this process never overshoot it.
/// </summary>
internal sealed class FileSystemBlobStore(IOptions<StorageOptions> options, TimeProvider time) : IBlobStore, IBlobStoreMaintenance
{
    private const int BufferSize = 128 * 1024;
    private const int DiskFullHResult = 28; // ENOSPC
    private readonly string _root = Path.GetFullPath(options.Value.RootPath);
    private static readonly TimeSpan RecountEvery = TimeSpan.FromSeconds(30);
    private readonly long _quota = options.Value.QuotaBytes;
    private readonly Lock _gate = new();
    private long _wholeBytes = -1; // bytes of whole blobs on disk; -1 until counted
    private long _countedAt;
    private long _reservedBytes; // bytes written by uploads still in flight

    public async Task<Result<StoredBlob>> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var key = BlobKeys.New(time);
        var partial = Path.Combine(_root, ".partial", Path.GetFileName(key) + ".part");
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        if (_quota > 0)
        {
            WholeBytes(); // count (or re-count) what is stored before reserving against it
        }

        long reserved = 0;

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        return Error.TooLarge("media.too_large", $"The upload is larger than the limit of {maxBytes} bytes.");
                    }

                    if (_quota > 0)
                    {
                        reserved += read;
                        if (Interlocked.Add(ref _reservedBytes, read) + Volatile.Read(ref _wholeBytes) > _quota)
                        {
                            return StorageFull();
                        }
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
            }

            var final = PathOf(key);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            lock (_gate)
            {
                File.Move(partial, final);
                if (_wholeBytes >= 0)
                {
                    _wholeBytes += total;
                }
            }

            return new StoredBlob(key, total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch (IOException ex) when ((ex.HResult & 0xFFFF) == DiskFullHResult)
        {
            return StorageFull();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Interlocked.Add(ref _reservedBytes, -reserved);
            TryDelete(partial);
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan));

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        lock (_gate)
        {
            var file = new FileInfo(path);
            if (file.Exists)
            {
                var length = file.Length;
                file.Delete();
                if (_wholeBytes >= 0)
                {
                    _wholeBytes -= length;
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(PathOf(key)));

    public Task<long?> SizeAsync(string key, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists ? file.Length : (long?)null);
    }

    /// <summary>A symbolic link: the bytes are on this disk already, and the scratch folder is deleted after the job.</summary>
    public Task CopyToFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        var source = PathOf(key);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"There is no blob '{key}'.", source);
        }

        File.CreateSymbolicLink(path, source);
        return Task.CompletedTask;
    }

    public Task<int> RemoveAbandonedWritesAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(_root, ".partial");
        var removed = 0;
        if (Directory.Exists(folder))
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*.part").Where(f => f.LastWriteTimeUtc < before.UtcDateTime))
            {
                removed += TryDelete(file.FullName) ? 1 : 0;
            }
        }

        return Task.FromResult(removed);
    }

    public async IAsyncEnumerable<string> ListKeysAsync(DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_root))
        {
            yield break;
        }

        foreach (var file in new DirectoryInfo(_root).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => f.LastWriteTimeUtc < before.UtcDateTime))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, file.FullName).Replace('\\', '/');
            if (BlobKeys.IsValid(key))
            {
                yield return key;
            }
        }

        await Task.CompletedTask;
    }

    private string PathOf(string key) => Path.Combine(_root, BlobKeys.Checked(key));

    /// <summary>Bytes of whole blobs, counted from disk when never counted or last counted 30 s ago (another process may write here too).</summary>
    private long WholeBytes()
    {
        lock (_gate)
        {
            if (_wholeBytes < 0 || time.GetElapsedTime(_countedAt) > RecountEvery)
            {
                _wholeBytes = Directory.Exists(_root)
                    ? new DirectoryInfo(_root).EnumerateDirectories()
                        .Where(d => d.Name != ".partial")
                        .SelectMany(d => d.EnumerateFiles("*", SearchOption.AllDirectories))
                        .Sum(f => f.Length)
                    : 0;
                _countedAt = time.GetTimestamp();
            }

            return _wholeBytes;
        }
    }

    private static Error StorageFull() =>
        Error.InsufficientStorage("storage.full", "The media store is full. Delete media you no longer need, or ask the operator for more space.");

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false; // best effort; .partial holds nothing that is ever read
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}

using System.Buffers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
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
internal sealed partial class FileSystemBlobStore(IOptions<StorageOptions> options, TimeProvider time) : IBlobStore
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
        var key = $"{time.GetUtcNow():yyyy'/'MM'/'dd}/{Guid.CreateVersion7():N}";
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

    /// <summary>Keys are made here and stored in the database; anything else is refused rather than joined to a path.</summary>
    private string PathOf(string key) => PathOf(_root, key);

    internal static string PathOf(string root, string key) =>
        KeyPattern().IsMatch(key ?? string.Empty)
            ? Path.Combine(root, key!)
            : throw new ArgumentException($"'{key}' is not a blob key of this store.", nameof(key));

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

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort; .partial holds nothing that is ever read.
        }
    }

    [GeneratedRegex("^[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();
}

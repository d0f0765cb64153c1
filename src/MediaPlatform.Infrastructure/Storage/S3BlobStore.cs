using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Common;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Storage;

/// <summary>
/// Blobs in an S3-compatible bucket, keyed like the file-system store. An upload streams: it is hashed and counted
/// while it is read, sent whole when it fits one part and as a multipart upload of
/// <see cref="S3StorageOptions.PartSizeMegabytes"/> parts otherwise (one part in memory at a time), and aborted when
/// it is refused, cancelled or fails, so no object or unfinished upload is left behind.
/// </summary>
internal sealed class S3BlobStore(IAmazonS3 s3, IOptions<StorageOptions> options, TimeProvider time) : IBlobStoreMaintenance
{
    private readonly string _bucket = options.Value.S3.Bucket ?? throw new InvalidOperationException("Storage:S3:Bucket is not set.");
    private readonly int _partSize = options.Value.S3.PartSizeMegabytes * 1024 * 1024;

    public async Task<Result<StoredBlob>> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var key = BlobKeys.New(time);
        var buffer = ArrayPool<byte>.Shared.Rent(_partSize);
        string? uploadId = null;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var parts = new List<PartETag>();
            long total = 0;
            while (true)
            {
                var filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, _partSize), _partSize, throwOnEndOfStream: false, cancellationToken);
                total += filled;
                if (total > maxBytes)
                {
                    return Error.TooLarge("media.too_large", $"The upload is larger than the limit of {maxBytes} bytes.");
                }

                hash.AppendData(buffer, 0, filled);
                var last = filled < _partSize;
                if (last && uploadId is null)
                {
                    // Small enough for one request.
                    using var body = new MemoryStream(buffer, 0, filled, writable: false);
                    await s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = body, AutoCloseStream = false, UseChunkEncoding = false }, cancellationToken);
                    break;
                }

                uploadId ??= (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, cancellationToken)).UploadId;
                if (filled > 0 || parts.Count == 0)
                {
                    using var body = new MemoryStream(buffer, 0, filled, writable: false);
                    var part = await s3.UploadPartAsync(
                        new UploadPartRequest { BucketName = _bucket, Key = key, UploadId = uploadId, PartNumber = parts.Count + 1, InputStream = body, PartSize = filled, UseChunkEncoding = false },
                        cancellationToken);
                    parts.Add(new PartETag(parts.Count + 1, part.ETag));
                }

                if (last)
                {
                    await s3.CompleteMultipartUploadAsync(
                        new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId, PartETags = parts }, cancellationToken);
                    uploadId = null;
                    break;
                }
            }

            return new StoredBlob(key, total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (uploadId is not null)
            {
                await AbortQuietlyAsync(key, uploadId);
            }
        }
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await s3.GetObjectAsync(_bucket, BlobKeys.Checked(key), cancellationToken);
            return new ResponseStream(response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"There is no blob '{key}'.", key, ex);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        await s3.DeleteObjectAsync(_bucket, BlobKeys.Checked(key), cancellationToken);

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        await SizeAsync(key, cancellationToken) is not null;

    public async Task<long?> SizeAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await s3.GetObjectMetadataAsync(_bucket, BlobKeys.Checked(key), cancellationToken)).ContentLength;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task CopyToFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        await using var source = await OpenReadAsync(key, cancellationToken);
        var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 128 * 1024, FileOptions.Asynchronous);
        try
        {
            await using (target)
            {
                await source.CopyToAsync(target, cancellationToken);
            }
        }
        catch
        {
            File.Delete(path); // only a file this call created: CreateNew refused an existing one above
            throw;
        }
    }

    public async Task<int> RemoveAbandonedWritesAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        var request = new ListMultipartUploadsRequest { BucketName = _bucket };
        while (true)
        {
            ListMultipartUploadsResponse page;
            try
            {
                page = await s3.ListMultipartUploadsAsync(request, cancellationToken);
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotImplemented)
            {
                // Some small stores (s3rver) cannot list uploads; a bucket lifecycle rule
                // (AbortIncompleteMultipartUpload) is their way to expire what a killed process left.
                return removed;
            }

            foreach (var upload in page.MultipartUploads ?? [])
            {
                if (upload.Initiated is { } started && started.ToUniversalTime() < before.UtcDateTime && BlobKeys.IsValid(upload.Key)
                    && !await HasPartSinceAsync(upload, before, cancellationToken))
                {
                    await AbortQuietlyAsync(upload.Key, upload.UploadId);
                    removed++;
                }
            }

            if (page.IsTruncated != true)
            {
                return removed;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    public async IAsyncEnumerable<string> ListKeysAsync(DateTimeOffset before, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket };
        while (true)
        {
            var page = await s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                if (item.LastModified is { } modified && modified.ToUniversalTime() < before.UtcDateTime && BlobKeys.IsValid(item.Key))
                {
                    yield return item.Key;
                }
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>A long upload begun before <paramref name="before"/> is still alive while its parts keep arriving.</summary>
    private async Task<bool> HasPartSinceAsync(MultipartUpload upload, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var parts = await s3.ListPartsAsync(new ListPartsRequest { BucketName = _bucket, Key = upload.Key, UploadId = upload.UploadId }, cancellationToken);
        return (parts.Parts ?? []).Any(p => p.LastModified is { } written && written.ToUniversalTime() >= before.UtcDateTime);
    }

    private async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever stopped it (the store, the network, a timeout), it must not replace the outcome being reported;
            // the store's lifecycle rule or the leftover sweeper removes the upload later.
            _ = ex;
        }
    }

    /// <summary>The object's body; disposing it releases the response (and its connection).</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _inner = response.ResponseStream;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.ContentLength;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

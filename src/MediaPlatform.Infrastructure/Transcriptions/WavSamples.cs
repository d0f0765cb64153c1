using MediaPlatform.Infrastructure.Media;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>The samples of a 16 kHz, 16-bit mono PCM WAV (what the extract step writes), read as a stream that ends where the data chunk does.</summary>
internal sealed class WavSamples : Stream
{
    public const int SampleRate = 16000;

    private readonly FileStream _file;
    private long _remaining;

    private WavSamples(FileStream file, long length)
    {
        _file = file;
        _remaining = length;
    }

    /// <summary>Opens <paramref name="path"/> at its first sample; <see cref="InvalidDataException"/> when it is not 16 kHz mono 16-bit PCM.</summary>
    public static WavSamples Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        try
        {
            var format = WavFormat.ReadAsync(file, CancellationToken.None).GetAwaiter().GetResult();
            if (format.Channels != 1 || format.SampleRate != SampleRate)
            {
                throw new InvalidDataException($"{Path.GetFileName(path)} has {format.Channels} channel(s) at {format.SampleRate} Hz; the engine takes 16 kHz mono.");
            }

            file.Position = format.DataOffset;
            return new WavSamples(file, format.DataLength);
        }
        catch (Application.Processing.MediaProcessingException ex)
        {
            file.Dispose();
            throw new InvalidDataException(ex.Detail ?? ex.Message, ex);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Moves past <paramref name="samples"/> samples (or to the end of the data, when fewer are left).</summary>
    public void Skip(long samples)
    {
        var bytes = Math.Clamp(samples * sizeof(short), 0, _remaining);
        _file.Seek(bytes, SeekOrigin.Current);
        _remaining -= bytes;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_remaining <= 0)
        {
            return 0;
        }

        var read = _file.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        _remaining -= read;
        return read;
    }

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
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}

using System.Buffers.Binary;
using MediaPlatform.Application.Processing;

namespace MediaPlatform.Infrastructure.Media;

/// <summary>The fields of a PCM WAV's header this needs, and where its samples are.</summary>
internal sealed record WavFormat(int Channels, int SampleRate, int BlockAlign, long DataOffset, long DataLength)
{
    public static async Task<WavFormat> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[12];
        await stream.ReadExactlyAsync(head, cancellationToken);
        if (!head.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !head.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        {
            throw Unreadable("it is not a RIFF/WAVE file");
        }

        WavFormat? format = null;
        int channels = 0, rate = 0, align = 0, bits = 0;
        var chunk = new byte[8];
        while (format is null)
        {
            if (await stream.ReadAtLeastAsync(chunk, 8, throwOnEndOfStream: false, cancellationToken) < 8)
            {
                throw Unreadable("it has no data chunk");
            }

            var id = System.Text.Encoding.ASCII.GetString(chunk, 0, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(4));
            if (id == "fmt ")
            {
                var fmt = new byte[size];
                await stream.ReadExactlyAsync(fmt, cancellationToken);
                var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(fmt.AsSpan(4));
                align = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(12));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(14));
                if (tag is not (1 or 0xFFFE) || bits != 16 || channels < 1 || rate < 1 || align != channels * 2)
                {
                    throw Unreadable($"it is not 16-bit PCM (format {tag}, {bits} bits)");
                }
            }
            else if (id == "data")
            {
                if (rate == 0)
                {
                    throw Unreadable("its data comes before its format");
                }

                // ffmpeg writing to a pipe leaves the size at 0 or 0xFFFFFFFF: the data then runs to the end.
                var offset = stream.Position;
                var length = size is 0 or uint.MaxValue ? stream.Length - offset : Math.Min(size, stream.Length - offset);
                format = new WavFormat(channels, rate, align, offset, length - (length % align));
            }
            else
            {
                stream.Seek(size + (size % 2), SeekOrigin.Current);
            }
        }

        return format;
    }

    public static byte[] Header(WavFormat format, long dataLength)
    {
        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)Math.Min(36 + dataLength, uint.MaxValue));
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(22), (ushort)format.Channels);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), format.SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), format.SampleRate * format.BlockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), (ushort)format.BlockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), 16);
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), (uint)Math.Min(dataLength, uint.MaxValue));
        return header;
    }

    private static MediaProcessingException Unreadable(string why) =>
        new("media.extract_failed", "The extracted audio could not be read.", isTransient: false) { Detail = why };
}

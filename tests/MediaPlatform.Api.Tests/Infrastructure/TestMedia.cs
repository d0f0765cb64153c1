using System.Net.Http.Headers;

namespace MediaPlatform.Api.Tests.Infrastructure;

/// <summary>Small real media files and the multipart bodies that upload them.</summary>
public static class TestMedia
{
    /// <summary>A valid 16 kHz mono 16-bit PCM WAV of a 440 Hz tone.</summary>
    public static byte[] ToneWav(double seconds = 0.5)
    {
        const int rate = 16000;
        var samples = (int)(rate * seconds);
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(rate);
        writer.Write(rate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            writer.Write((short)(8000 * Math.Sin(2 * Math.PI * 440 * i / rate)));
        }

        writer.Flush();
        return stream.ToArray();
    }

    public static MultipartFormDataContent Upload(byte[] bytes, string fileName = "tone.wav", string contentType = "audio/wav", string field = "file")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, field, fileName } };
    }

    public static IReadOnlyList<string> StoredFiles(string root) =>
        Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories) : [];
}

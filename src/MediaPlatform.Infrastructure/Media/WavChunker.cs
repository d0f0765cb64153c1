using System.Buffers.Binary;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Infrastructure.Transcriptions;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Media;

/// <summary>
/// Silences and parts of the 16-bit PCM WAV the extractor writes, read straight from the samples (no process to
/// start): the level of every 20 ms frame, silence where it stays under the threshold for the minimum length, and
/// parts written as byte ranges of the data with a header of their own, cut on whole frames.
/// </summary>
internal sealed class WavChunker(IOptions<TranscriptionOptions> options) : IAudioChunker
{
    private const double FrameSeconds = 0.02;
    private const int BufferSize = 128 * 1024;

    public async Task<SilenceMap> FindSilencesAsync(string wavPath, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        await using var file = File.OpenRead(wavPath);
        var format = await WavFormat.ReadAsync(file, cancellationToken);
        var frameBytes = Math.Max(format.BlockAlign, (int)(format.SampleRate * FrameSeconds) * format.BlockAlign);
        var levels = new List<double>();
        var buffer = new byte[frameBytes];
        long remaining = format.DataLength;
        while (remaining > 0)
        {
            var want = (int)Math.Min(frameBytes, remaining);
            var read = await file.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken);
            if (read < format.BlockAlign)
            {
                break;
            }

            levels.Add(Level(buffer.AsSpan(0, read - (read % format.BlockAlign))));
            remaining -= read;
        }

        var seconds = (double)format.DataLength / ((long)format.SampleRate * format.BlockAlign);
        if (levels.Count == 0)
        {
            return new SilenceMap(seconds, []);
        }

        // The threshold follows the recording's own noise floor when that is louder than the setting (a hiss).
        var sorted = levels.Order().ToList();
        var floor = sorted[sorted.Count / 10];
        var threshold = Math.Max(settings.SilenceThresholdDb, floor + 6);
        var minFrames = (int)Math.Ceiling(settings.MinSilenceSeconds / FrameSeconds);
        var silences = new List<AudioSpan>();
        var run = -1;
        for (var i = 0; i <= levels.Count; i++)
        {
            var quiet = i < levels.Count && levels[i] < threshold;
            if (quiet && run < 0)
            {
                run = i;
            }
            else if (!quiet && run >= 0)
            {
                if (i - run >= minFrames)
                {
                    silences.Add(new AudioSpan(run * FrameSeconds, i * FrameSeconds));
                }

                run = -1;
            }
        }

        return new SilenceMap(seconds, silences);
    }

    public async Task<IReadOnlyList<string>> SplitAsync(string wavPath, IReadOnlyList<AudioSpan> spans, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spans);
        await using var file = File.OpenRead(wavPath);
        var format = await WavFormat.ReadAsync(file, cancellationToken);
        var bytesPerSecond = (long)format.SampleRate * format.BlockAlign;
        var paths = new List<string>(spans.Count);
        var buffer = new byte[BufferSize];
        for (var i = 0; i < spans.Count; i++)
        {
            // Both ends on the same whole-frame grid, so consecutive parts share their boundary exactly.
            var from = Math.Min(ByteOffset(spans[i].Start, bytesPerSecond, format.BlockAlign), format.DataLength);
            var to = i == spans.Count - 1 ? format.DataLength : Math.Min(ByteOffset(spans[i].End, bytesPerSecond, format.BlockAlign), format.DataLength);
            var path = Path.Combine(folder, $"part-{i:D5}.wav");
            await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                await output.WriteAsync(WavFormat.Header(format, to - from), cancellationToken);
                file.Position = format.DataOffset + from;
                var left = to - from;
                while (left > 0)
                {
                    var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
                    if (read == 0)
                    {
                        break;
                    }

                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    left -= read;
                }
            }

            paths.Add(path);
        }

        return paths;
    }

    private static long ByteOffset(double seconds, long bytesPerSecond, int blockAlign) =>
        (long)Math.Round(seconds * bytesPerSecond / blockAlign) * blockAlign;

    /// <summary>RMS level of a frame in dBFS (all channels together).</summary>
    private static double Level(ReadOnlySpan<byte> frame)
    {
        double sum = 0;
        var count = frame.Length / 2;
        for (var i = 0; i + 1 < frame.Length; i += 2)
        {
            double sample = BinaryPrimitives.ReadInt16LittleEndian(frame[i..]);
            sum += sample * sample;
        }

        var rms = Math.Sqrt(sum / Math.Max(count, 1)) / 32768.0;
        return rms <= 1e-9 ? -180 : 20 * Math.Log10(rms);
    }
}

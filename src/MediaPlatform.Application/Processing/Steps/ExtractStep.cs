using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Processing.Steps;

/// <summary>
/// The media's first audio track as 16 kHz mono WAV in the scratch folder, once its length is known to be within the
/// tenant's and the service's limits (a small file can claim hundreds of hours).
/// </summary>
internal sealed class ExtractStep(IAudioExtractor extractor, IMediaFiles files, ICurrentTenant tenant, MediaLimits limits) : IJobStep
{
    public string Name => "extract";

    public int Weight => 5;

    public bool IsPending(JobContext context) => context.Transcribes && context.Transcription is null;

    public async Task RunAsync(JobContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var asset = context.Asset;
        if (asset.Status == MediaStatus.Rejected)
        {
            var code = asset is { HasVideo: true, HasAudio: false } ? "media.no_audio" : "media.rejected";
            throw new MediaProcessingException(code, asset.RejectionReason ?? "The media cannot be processed.", isTransient: false);
        }

        // The range asked for (audioStartFrom/audioEndAt, in ms), within the media.
        var options = context.Job.Options.Transcript;
        var from = TimeSpan.FromMilliseconds(options.AudioStartFrom ?? 0);
        var length = asset.Duration ?? TimeSpan.Zero;
        if (from > TimeSpan.Zero && asset.Duration is { } mediaLength && from >= mediaLength)
        {
            throw new MediaProcessingException(
                "media.range_invalid", $"audioStartFrom ({from.TotalMilliseconds:0} ms) is not before the media's end ({mediaLength.TotalMilliseconds:0} ms).", isTransient: false);
        }

        TimeSpan? to = options.AudioEndAt is { } endAt ? TimeSpan.FromMilliseconds(endAt) : null;
        var processed = (to is { } stop && stop < length ? stop : length) - from;

        if (tenant.Limits.MaxMediaSeconds is { } maxSeconds && asset.Duration is not null && processed.TotalSeconds > maxSeconds)
        {
            var error = TenantErrors.MediaTooLong(maxSeconds, processed);
            throw new MediaProcessingException(error.Code, error.Message, isTransient: false);
        }

        if (asset.Duration is not null && processed.TotalSeconds > limits.MaxMediaSeconds)
        {
            throw new MediaProcessingException(
                "media.too_long", $"The media lasts {processed.TotalSeconds:0} s, longer than this service processes ({limits.MaxMediaSeconds} s).", isTransient: false);
        }

        var wav = Path.Combine(context.Scratch.Path, "audio.wav");
        var source = await files.MaterializeAsync(asset.StorageKey!, context.Scratch, cancellationToken);
        if (from > TimeSpan.Zero || to is not null)
        {
            await extractor.ExtractAsync(source, wav, from, to, cancellationToken);
        }
        else
        {
            await extractor.ExtractAsync(source, wav, cancellationToken);
        }

        context.AudioPath = wav;
        context.AudioOffset = from;
        context.Duration = TimeSpan.FromSeconds(Math.Max(0, Math.Min(processed.TotalSeconds, limits.MaxMediaSeconds)));
    }
}

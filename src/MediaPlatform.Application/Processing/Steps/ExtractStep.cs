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

        if (tenant.Limits.MaxMediaSeconds is { } maxSeconds && asset.Duration is { } length && length.TotalSeconds > maxSeconds)
        {
            var error = TenantErrors.MediaTooLong(maxSeconds, length);
            throw new MediaProcessingException(error.Code, error.Message, isTransient: false);
        }

        if (asset.Duration is { } claimed && claimed.TotalSeconds > limits.MaxMediaSeconds)
        {
            throw new MediaProcessingException(
                "media.too_long", $"The media lasts {claimed.TotalSeconds:0} s, longer than this service processes ({limits.MaxMediaSeconds} s).", isTransient: false);
        }

        var wav = Path.Combine(context.Scratch.Path, "audio.wav");
        var source = await files.MaterializeAsync(asset.StorageKey!, context.Scratch, cancellationToken);
        await extractor.ExtractAsync(source, wav, cancellationToken);
        context.AudioPath = wav;
        context.Duration = TimeSpan.FromSeconds(Math.Min((asset.Duration ?? TimeSpan.Zero).TotalSeconds, limits.MaxMediaSeconds));
    }
}

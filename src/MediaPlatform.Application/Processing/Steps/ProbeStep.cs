using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Media;

namespace MediaPlatform.Application.Processing.Steps;

/// <summary>Stored media: its streams and length read by ffprobe and saved (or the media rejected, for good).</summary>
internal sealed class ProbeStep(IMediaProbe probe, IMediaFiles files, IUnitOfWork unitOfWork, TimeProvider time) : IJobStep
{
    public string Name => "probe";

    public int Weight => 3;

    public bool IsPending(JobContext context) => context.Transcribes && context.Transcription is null && context.Asset.Status == MediaStatus.Stored;

    public async Task RunAsync(JobContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var asset = context.Asset;
        MediaStreamFacts facts;
        try
        {
            facts = await probe.ProbeAsync(await files.MaterializeAsync(asset.StorageKey!, context.Scratch, cancellationToken), cancellationToken);
        }
        catch (MediaProcessingException ex) when (!ex.IsTransient)
        {
            asset.Reject(ex.Message, time.GetUtcNow());
            await unitOfWork.SaveChangesAsync(cancellationToken);
            throw;
        }

        asset.RecordProbe(facts, time.GetUtcNow());
        await unitOfWork.SaveChangesAsync(cancellationToken);
    }
}

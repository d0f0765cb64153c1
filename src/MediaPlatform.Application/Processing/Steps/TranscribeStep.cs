using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Processing.Steps;

/// <summary>
/// Split, transcribe and merge (<see cref="ChunkedTranscriber"/>), then save the transcription at once: whatever
/// happens to the job after this (an analysis failing, the worker dying), the transcript is kept, and a retry resumes
/// after it. One transcription per job (a unique index): a second save of the same job's, by a worker that lost its
/// lease, is refused and the first is used.
/// </summary>
internal sealed class TranscribeStep(
    ITranscriptionEngineCatalog engines, ChunkedTranscriber chunked, ITranscriptionRepository transcriptions, IUnitOfWork unitOfWork, TimeProvider time) : IJobStep
{
    public string Name => "transcribe";

    public int Weight => 80;

    public bool IsPending(JobContext context) => context.Transcribes && context.Transcription is null;

    public async Task RunAsync(JobContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var job = context.Job;
        var engine = engines.Find(job.Options.Engine)
            ?? throw new MediaProcessingException(
                "engine.unknown", $"There is no transcription engine '{job.Options.Engine}'. Available: {string.Join(", ", engines.Names)}.", isTransient: false);
        var transcript = await chunked.TranscribeAsync(
            engine, context.AudioPath!, context.Duration, job.Options.Language, context.Scratch.Path, progress, cancellationToken);
        var created = Transcription.Create(
            job.Id, context.Asset.Id, job.Options.Language ?? transcript.Language, engine.Name, transcript.Model, transcript.Segments, time.GetUtcNow());
        if (created.IsFailure)
        {
            throw new MediaProcessingException("engine.invalid_output", $"The engine returned an invalid transcript: {created.Error!.Message}", isTransient: true);
        }

        transcriptions.Add(created.Value);
        try
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
            context.Transcription = created.Value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // A worker that lost this job's lease and finished anyway saved first (one transcription per job): use
            // that one. Anything else (the database is unreachable) is the attempt's failure, as before.
            _ = ex;
            context.Transcription = await transcriptions.GetByJobAsync(job.Id, cancellationToken);
            if (context.Transcription is null)
            {
                throw;
            }
        }
    }
}

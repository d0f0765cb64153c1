using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Processing.Steps;

/// <summary>
/// Split, transcribe and merge (<see cref="ChunkedTranscriber"/>), then save the transcription at once: whatever
/// happens to the job after this (an analysis failing, the worker dying), the transcript is kept, and a retry resumes
/// after it. One transcription per job (a unique index): a second save of the same job's, by a worker that lost its
/// lease, is refused and the first is used.
/// </summary>
internal sealed class TranscribeStep(
    ITranscriptionEngineCatalog engines,
    ChunkedTranscriber chunked,
    QueuedPartsTranscriber queuedParts,
    ITranscriptionRepository transcriptions,
    Transcriptions.Redaction.IPiiRedactor redactor,
    IDiarizer diarizer,
    IUnitOfWork unitOfWork,
    TimeProvider time) : IJobStep
{
    private const int MaxSaveAttempts = 120;
    private static readonly TimeSpan SaveRetryDelay = TimeSpan.FromSeconds(1);

    public string Name => "transcribe";

    public int Weight => 80;

    public bool IsPending(JobContext context) => context.Transcribes && context.Transcription is null;

    public async Task RunAsync(JobContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var job = context.Job;
        var engine = engines.Find(job.Options.Engine)
            ?? throw new MediaProcessingException(
                "engine.unknown", $"There is no transcription engine '{job.Options.Engine}'. Available: {string.Join(", ", engines.Names)}.", isTransient: false);
        using var hints = TranscriptionHints.Use(job.Options.Vocabulary);
        var transcript = await chunked.TranscribeAsync(
            engine, job, context.AudioPath!, context.Duration, job.Options.Language, context.Scratch.Path, progress, cancellationToken);
        var (heard, redacted) = await ShapeAsync(context, transcript.Segments, cancellationToken);
        var created = Transcription.Create(
            job.Id, context.Asset.Id, job.Options.Language ?? transcript.Language, engine.Name, transcript.Model,
            redacted?.Segments ?? heard, time.GetUtcNow());
        if (created.IsFailure)
        {
            throw new MediaProcessingException("engine.invalid_output", $"The engine returned an invalid transcript: {created.Error!.Message}", isTransient: true);
        }

        if (redacted is not null)
        {
            created.Value.RecordRedaction(redacted.Spans, job.Options.Redaction!.KeepUnredacted ? heard : null);
        }

        transcriptions.Add(created.Value);
        context.Transcription = await SaveAsync(job, created.Value, cancellationToken);

        // The queued parts of a long recording are not needed once their merged transcript is saved.
        await queuedParts.ForgetAsync(job, cancellationToken);
    }

    /// <summary>
    /// What the job asked for, applied to the engine's transcript in the order that keeps each meaningful: speaker
    /// labels (on the engine's own times and words), the vocabulary's spellings, then filters (the media's times,
    /// fillers, profanity), then PII redaction (which keeps the labels). All of it happens here, before the transcript
    /// is first stored, rather than in steps after it: the unredacted text must never reach the database (or its
    /// search index) unless the job asked to keep it. Returns the text as heard and, with redaction, as stored.
    /// </summary>
    private async Task<(IReadOnlyList<Segment> Heard, Transcriptions.Redaction.RedactedTranscript? Redacted)> ShapeAsync(
        JobContext context, IReadOnlyList<Segment> segments, CancellationToken cancellationToken)
    {
        var options = context.Job.Options;
        if (options.Speakers is { } speakers)
        {
            var speech = segments.SelectMany(s => s.Words.Count > 0 ? s.Words.Select(w => (w.Start, w.End)) : [(s.Start, s.End)]).ToList();
            segments = SpeakerAssignment.Apply(segments, await diarizer.DiarizeAsync(context.AudioPath!, speech, speakers, cancellationToken));
        }

        var heard = TranscriptFilters.Apply(VocabularyCasing.Apply(segments, options.Vocabulary), options.Transcript, context.AudioOffset.TotalSeconds);
        return (heard, options.Redaction is { } redaction ? redactor.Redact(heard, redaction) : null);
    }

    /// <summary>
    /// Saves the transcript, through a database outage: the worker still holds the job (its heartbeats renew the
    /// lease while the database is away), and a finished transcript must not cost the job an attempt because the
    /// database was restarting at that moment (the fault suite's 30 s outage). If another worker that lost this job's
    /// lease saved first (one transcription per job), that one is used.
    /// </summary>
    private async Task<Transcription> SaveAsync(Job job, Transcription made, CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                await unitOfWork.SaveChangesAsync(cancellationToken);
                return made;
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                try
                {
                    if (await transcriptions.GetByJobAsync(job.Id, cancellationToken) is { } saved)
                    {
                        return saved;
                    }
                }
                catch (Exception lookup) when (lookup is not OperationCanceledException and not OutOfMemoryException)
                {
                    // The database is still away.
                }

                if (failures >= MaxSaveAttempts)
                {
                    throw;
                }
            }

            await Task.Delay(SaveRetryDelay, time, cancellationToken);
        }
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MediaPlatform.Application.Common.Telemetry;

/// <summary>
/// The platform's own spans and instruments, on the runtime's <see cref="ActivitySource"/> and <see cref="Meter"/>
/// (no OpenTelemetry dependency here: the composition root decides what is collected and where it goes). Names follow
/// the OpenTelemetry conventions; Prometheus shows <c>mediaplatform.jobs.submitted</c> as
/// <c>mediaplatform_jobs_submitted_total</c> and a histogram in seconds with the <c>_seconds</c> suffix.
/// </summary>
public static class PlatformTelemetry
{
    public const string Name = "MediaPlatform";

    /// <summary>Span attributes and metric tags.</summary>
    public const string JobIdTag = "mediaplatform.job.id";
    public const string TenantIdTag = "mediaplatform.tenant.id";
    public const string KindTag = "kind";
    public const string EngineTag = "engine";

    public static readonly ActivitySource Source = new(Name);

    // Bucket boundaries for the histograms, given as advice to whatever collects them: the exporters' default
    // (0, 5, 10, 25 ... 10000) put every real-time factor and most durations in the first bucket, where no percentile
    // can be read. Declared before the instruments that use them (static fields initialise in order).
    private static readonly double[] QueuedSeconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
    private static readonly double[] RunSeconds = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200];
    private static readonly double[] RealTimeFactors = [0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 5];
    private static readonly long[] QueueBatchSizes = [1, 2, 4, 8, 16, 32, 64, 100];

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> JobsSubmitted =
        Meter.CreateCounter<long>("mediaplatform.jobs.submitted", "{job}", "Jobs accepted, by kind and engine.");

    public static readonly Counter<long> JobsSucceeded =
        Meter.CreateCounter<long>("mediaplatform.jobs.succeeded", "{job}", "Jobs that succeeded, by kind and engine.");

    public static readonly Counter<long> JobsFailed =
        Meter.CreateCounter<long>("mediaplatform.jobs.failed", "{job}", "Jobs that failed for good, by kind and engine.");

    public static readonly Counter<long> JobsRetried =
        Meter.CreateCounter<long>("mediaplatform.jobs.retried", "{job}", "Failed attempts queued again for a retry, by kind and engine.");

    public static readonly Histogram<double> JobQueuedDuration =
        Meter.CreateHistogram<double>("mediaplatform.job.queued.duration", "s", "Time from a job being due to a worker claiming it.", tags: null, Buckets(QueuedSeconds));

    public static readonly Histogram<double> JobRunDuration =
        Meter.CreateHistogram<double>("mediaplatform.job.run.duration", "s", "Time one attempt of a job ran, by kind and outcome.", tags: null, Buckets(RunSeconds));

    public static readonly Counter<double> AudioTranscribed =
        Meter.CreateCounter<double>("mediaplatform.transcription.audio", "s", "Seconds of audio decoded, by engine.");

    public static readonly Histogram<double> RealTimeFactor =
        Meter.CreateHistogram<double>("mediaplatform.transcription.realtime_factor", "1", "Decoding time over audio time per engine run (below 1 is faster than real time).", tags: null, Buckets(RealTimeFactors));

    public static readonly UpDownCounter<long> ActiveDecoders =
        Meter.CreateUpDownCounter<long>("mediaplatform.transcription.active_decoders", "{process}", "Engine runs in progress in this process (chunk parallelism).");

    public static readonly Counter<long> QueuedPartsDecoded =
        Meter.CreateCounter<long>(
            "mediaplatform.transcription.queued_parts", "{part}", "Queued parts of long recordings decoded by this process, by engine and whether the part went on from the part before on the same decoder (continued: no lead-in decoded).");

    public static readonly Histogram<long> RecordingParts =
        Meter.CreateHistogram<long>("mediaplatform.transcription.parts", "{part}", "Parts a recording was cut into for parallel decoding, by where they were decoded.", tags: null,
            new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    public static readonly Histogram<long> QueueClaimSize =
        Meter.CreateHistogram<long>("mediaplatform.queue.claim.size", "{job}", "Jobs one claim took in one transaction (a claim that found none is not counted).", tags: null,
            new InstrumentAdvice<long> { HistogramBucketBoundaries = QueueBatchSizes });

    public static readonly Histogram<long> QueueFinishSize =
        Meter.CreateHistogram<long>("mediaplatform.queue.finish.size", "{job}", "Attempt endings (completions, retries, failures) saved together in one transaction.", tags: null,
            new InstrumentAdvice<long> { HistogramBucketBoundaries = QueueBatchSizes });

    /// <summary>The tags of a job's counters.</summary>
    public static TagList JobTags(Domain.Jobs.Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new TagList
        {
            { KindTag, job.Kind == Domain.Jobs.JobKind.Transcription ? "transcription" : "analysis" },
            { EngineTag, job.Kind == Domain.Jobs.JobKind.Transcription ? job.Options.Engine ?? "default" : "none" },
        };
    }

    private static InstrumentAdvice<double> Buckets(double[] boundaries) => new() { HistogramBucketBoundaries = boundaries };
}

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
        Meter.CreateHistogram<double>("mediaplatform.job.queued.duration", "s", "Time from a job being due to a worker claiming it.");

    public static readonly Histogram<double> JobRunDuration =
        Meter.CreateHistogram<double>("mediaplatform.job.run.duration", "s", "Time one attempt of a job ran, by kind and outcome.");

    public static readonly Counter<double> AudioTranscribed =
        Meter.CreateCounter<double>("mediaplatform.transcription.audio", "s", "Seconds of audio decoded, by engine.");

    public static readonly Histogram<double> RealTimeFactor =
        Meter.CreateHistogram<double>("mediaplatform.transcription.realtime_factor", "1", "Decoding time over audio time per engine run (below 1 is faster than real time).");

    public static readonly UpDownCounter<long> ActiveDecoders =
        Meter.CreateUpDownCounter<long>("mediaplatform.transcription.active_decoders", "{process}", "Engine runs in progress in this process (chunk parallelism).");

    public static readonly Histogram<long> RecordingParts =
        Meter.CreateHistogram<long>("mediaplatform.transcription.parts", "{part}", "Parts a recording was cut into for parallel decoding, by where they were decoded.");

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
}

namespace MediaPlatform.Application.Processing.Steps;

/// <summary>
/// One step of a job (fetch, probe, extract, transcribe, analyse): its name (the job's <c>currentStep</c>), its share
/// of the job's progress, whether it has anything to do for this job in its current state, and the work. A step
/// classifies its own failures (<see cref="MediaProcessingException.IsTransient"/>). Adding a step is one class and
/// one registration; the pipeline runs them in registration order.
/// </summary>
public interface IJobStep
{
    string Name { get; }

    /// <summary>Relative share of the job's progress (the steps' weights are summed).</summary>
    int Weight { get; }

    /// <summary>
    /// Whether the step has work left: false when the job does not need it (an analysis job needs no decoding) or when
    /// what it produces is already stored (the media was probed; an earlier attempt saved the transcription).
    /// </summary>
    bool IsPending(JobContext context);

    Task RunAsync(JobContext context, IProgress<double> progress, CancellationToken cancellationToken);
}

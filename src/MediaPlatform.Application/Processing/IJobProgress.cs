namespace MediaPlatform.Application.Processing;

/// <summary>Where the pipeline reports how far it is; the worker stores it on the job (throttled).</summary>
public interface IJobProgress
{
    void Report(int percent, string step);

    /// <summary>Writes what is pending, so nothing older lands after the job's final write.</summary>
    Task FlushAsync() => Task.CompletedTask;
}

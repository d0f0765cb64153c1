namespace MediaPlatform.Api.Tests.Infrastructure;

/// <summary>The service with its workers running, tuned so leases, retries and polling take seconds, not minutes.</summary>
public class ProcessingFactory : ApiFactory
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("mp-scratch-");

    /// <summary>Where this service's jobs keep their working files (so tests can find its child processes).</summary>
    public string ScratchPath => _scratch.FullName;

    protected virtual int WorkerCount => 2;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        new Dictionary<string, string?>
        {
            ["Queue:WorkerCount"] = WorkerCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Queue:LeaseSeconds"] = "4",
            ["Queue:HeartbeatSeconds"] = "1",
            ["Queue:ReaperSeconds"] = "1",
            ["Queue:PollSeconds"] = "1",
            ["Queue:RetryBaseSeconds"] = "0.2",
            ["Queue:RetryMaxSeconds"] = "1",
            ["Queue:ProgressIntervalMilliseconds"] = "100",
            ["Processing:ScratchPath"] = _scratch.FullName,
            ["OpenAiApi:WaitSeconds"] = "120",
        };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _scratch.Exists)
        {
            _scratch.Delete(recursive: true);
        }
    }
}

/// <summary>
/// A service whose offline engine runs one <c>pocketsphinx_continuous</c> process per recording
/// (<c>Transcription:PocketSphinx:Mode = process</c>), for the tests of what happens to those processes.
/// </summary>
public sealed class ProgramDecoderFactory : ProcessingFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Append(new("Transcription:PocketSphinx:Mode", "process"));
}

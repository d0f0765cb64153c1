namespace MediaPlatform.Api;

/// <summary>
/// What this process runs: <c>all</c> (API and workers, the default), <c>api</c> (HTTP only) or <c>worker</c> (job
/// workers and the lease reaper, plus health endpoints), chosen with <c>--role</c>. Run many of each against one
/// database; the queue hands every job to exactly one worker.
/// </summary>
internal sealed record ServiceRole(string Name, bool ServesApi, bool RunsWorkers)
{
    public static ServiceRole? Parse(string? value) => (value ?? "all").Trim().ToLowerInvariant() switch
    {
        "all" => new ServiceRole("all", ServesApi: true, RunsWorkers: true),
        "api" => new ServiceRole("api", ServesApi: true, RunsWorkers: false),
        "worker" => new ServiceRole("worker", ServesApi: false, RunsWorkers: true),
        _ => null,
    };
}

using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.Infrastructure.Reliability;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MediaPlatform.Api.Health;

/// <summary>
/// Readiness: the connection layer's own <c>SELECT 1</c> check. Anyone may call it, so the answer says only whether
/// the database answers and how fast; where it is and what the server said go to the log (once per outage). One
/// instance serves every run (registered as a singleton), so an outage is one outage across runs.
/// </summary>
internal sealed class DatabaseHealthCheck(DatabaseConnectivity connectivity, ILogger<DatabaseHealthCheck> logger, TimeProvider time) : IHealthCheck
{
    private readonly OutageLog _outage = new(logger, "Readiness check", time);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await connectivity.CheckAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["elapsedMs"] = Math.Round(report.Elapsed.TotalMilliseconds, 1) };
        if (report.IsHealthy)
        {
            _outage.Succeeded();
            return HealthCheckResult.Healthy("The database answers.", data);
        }

        _outage.Failed(new Npgsql.NpgsqlException($"{report.Target}: {report.Error}"));
        return HealthCheckResult.Unhealthy("The database does not answer.", data: data);
    }
}

using MediaPlatform.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MediaPlatform.Api.Health;

/// <summary>Readiness: the connection layer's own <c>SELECT 1</c> check.</summary>
internal sealed class DatabaseHealthCheck(DatabaseConnectivity connectivity) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await connectivity.CheckAsync(cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["target"] = report.Target,
            ["elapsedMs"] = Math.Round(report.Elapsed.TotalMilliseconds, 1),
        };
        if (report.ServerVersion is not null)
        {
            data["serverVersion"] = report.ServerVersion;
        }

        return report.IsHealthy
            ? HealthCheckResult.Healthy("The database answers.", data)
            : HealthCheckResult.Unhealthy($"The database does not answer: {report.Error}", data: data);
    }
}

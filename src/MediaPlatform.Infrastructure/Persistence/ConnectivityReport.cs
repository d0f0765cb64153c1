namespace MediaPlatform.Infrastructure.Persistence;

/// <summary>What a connectivity check found: where it connected, how long it took, and why it failed if it did.</summary>
public sealed record ConnectivityReport(bool IsHealthy, string Target, TimeSpan Elapsed, string? ServerVersion, string? Error);

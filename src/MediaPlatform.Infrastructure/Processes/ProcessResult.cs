namespace MediaPlatform.Infrastructure.Processes;

/// <summary>How a program ended: exit code, stdout (unless streamed) and the tail of stderr.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The last meaningful line of stderr, for an error message a person can read.</summary>
    public string LastErrorLine =>
        Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {ExitCode}";
}

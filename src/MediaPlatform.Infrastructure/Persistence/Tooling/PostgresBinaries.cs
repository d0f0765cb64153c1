using System.Diagnostics;

namespace MediaPlatform.Infrastructure.Persistence.Tooling;

/// <summary>
/// Finds PostgreSQL's client programs. Debian installs them under /usr/lib/postgresql/N/bin, which is not on PATH,
/// so ask <c>MEDIAPLATFORM_PG_BINDIR</c>, then <c>pg_config --bindir</c>, then PATH, then the Debian folders.
/// </summary>
public static class PostgresBinaries
{
    public static string? Find(string program)
    {
        foreach (var dir in CandidateDirectories())
        {
            var path = Path.Combine(dir, program);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        if (Environment.GetEnvironmentVariable("MEDIAPLATFORM_PG_BINDIR") is { Length: > 0 } configured)
        {
            yield return configured;
        }

        if (PgConfigBinDir() is { } fromPgConfig)
        {
            yield return fromPgConfig;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return dir;
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            foreach (var dir in Directory.GetDirectories("/usr/lib/postgresql").OrderDescending())
            {
                yield return Path.Combine(dir, "bin");
            }
        }
    }

    private static string? PgConfigBinDir()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            return process.WaitForExit(5000) && process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // pg_config is not installed
        }
    }
}

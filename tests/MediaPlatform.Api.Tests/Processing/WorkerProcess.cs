using System.Diagnostics;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>The real service binary started as a separate <c>--role worker</c> process against a test database.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process, string scratchPath)
    {
        _process = process;
        ScratchPath = scratchPath;
    }

    public int Pid => _process.Id;

    public string ScratchPath { get; }

    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(string connectionString, string blobRoot, int leaseSeconds)
    {
        var scratch = Directory.CreateTempSubdirectory("mp-worker-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "MediaPlatform.Api.dll"), "--role", "worker", "--urls", "http://127.0.0.1:0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
            Environment =
            {
                ["Database__ConnectionString"] = connectionString,
                ["Storage__RootPath"] = blobRoot,
                ["Processing__ScratchPath"] = scratch,
                ["Queue__WorkerCount"] = "1",
                ["Queue__LeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Queue__HeartbeatSeconds"] = "1",
                ["Queue__ReaperSeconds"] = "1",
                ["Queue__PollSeconds"] = "1",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process, scratch);
    }

    /// <summary>SIGKILL to the worker alone: no shutdown code runs, exactly as when its machine dies.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>The decoders this worker started that are still running.</summary>
    public IReadOnlyList<int> RunningDecoders() =>
        [.. Process.GetProcessesByName("pocketsphinx_continuous").Where(p => CommandLine(p).Contains(ScratchPath, StringComparison.Ordinal)).Select(p => p.Id)];

    /// <summary>SIGTERM, then wait: the graceful stop an operator's supervisor sends.</summary>
    public void Stop()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!_process.WaitForExit(15_000))
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
        try
        {
            Directory.Delete(ScratchPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string CommandLine(Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline");
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}

using System.Diagnostics;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>The real service binary started as a separate <c>--role worker</c> process against a test database.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly int _pid;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output;

    private WorkerProcess(Process process, int pid, string scratchPath, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        _output = output;
        _process = process;
        _pid = pid;
        ScratchPath = scratchPath;
    }

    /// <summary>The worker's own process id (under a non-reaping parent, not the parent's).</summary>
    public int Pid => _pid;

    public string ScratchPath { get; }

    public bool HasExited => _pid == _process.Id ? _process.HasExited : !IsRunning(_pid);

    /// <summary>
    /// Starts the worker. With <paramref name="underNonReapingParent"/> its parent is a perl process that forks it and
    /// never calls wait(), so a killed worker stays a zombie with its /proc entry, as under a careless supervisor.
    /// </summary>
    public static WorkerProcess Start(
        string connectionString, string blobRoot, int leaseSeconds, bool underNonReapingParent = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var scratch = Directory.CreateTempSubdirectory("mp-worker-").FullName;
        var worker = (string[])["dotnet", Path.Combine(AppContext.BaseDirectory, "MediaPlatform.Api.dll"), "--role", "worker", "--urls", "http://127.0.0.1:0"];
        string[] command = underNonReapingParent
            ? ["perl", "-e", "my $pid = fork(); if ($pid == 0) { exec @ARGV or exit 127; } open(my $f, '>', \"$ENV{MP_PID_FILE}.tmp\") or die; print $f $pid; close $f; rename(\"$ENV{MP_PID_FILE}.tmp\", $ENV{MP_PID_FILE}); sleep 3600;", .. worker]
            : worker;
        var start = new ProcessStartInfo(command[0])
        {
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
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var pidFile = Path.Combine(scratch, "worker.pid");
        start.Environment["MP_PID_FILE"] = pidFile;
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
        var pid = underNonReapingParent ? ReadPid(pidFile) : process.Id;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process, pid, scratch, output);
    }

    /// <summary>The last lines the worker wrote (warnings and errors: it logs at Warning), for a failing test's message.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 200 && output.TryDequeue(out _))
        {
        }
    }

    /// <summary>SIGKILL to the worker alone: no shutdown code runs, exactly as when its machine dies.</summary>
    public void KillHard()
    {
        if (_pid == _process.Id)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
            return;
        }

        Signal("KILL", _pid);
        WaitUntilGone(_pid, TimeSpan.FromSeconds(10));
    }

    /// <summary>Whether the process is alive: present and not a zombie.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            return !File.ReadAllLines($"/proc/{pid}/status").Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The worker's state letter from /proc (Z for a zombie), or null when it is gone.</summary>
    public string? State()
    {
        try
        {
            return File.ReadAllLines($"/proc/{_pid}/status").FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal))?[6..].Trim()[..1];
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The decoders this worker started that are still running.</summary>
    public IReadOnlyList<int> RunningDecoders() =>
        [.. Process.GetProcessesByName("pocketsphinx_continuous").Where(p => CommandLine(p).Contains(ScratchPath, StringComparison.Ordinal)).Select(p => p.Id)];

    /// <summary>SIGTERM, then wait: the graceful stop an operator's supervisor sends.</summary>
    public void Stop()
    {
        if (_pid != _process.Id)
        {
            // The worker under perl: stop it, then the parent (which reaps nothing, so it goes with its zombie).
            if (IsRunning(_pid))
            {
                Signal("TERM", _pid);
                WaitUntilGone(_pid, TimeSpan.FromSeconds(15));

                if (IsRunning(_pid))
                {
                    Signal("KILL", _pid);
                }
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            return;
        }

        if (_process.HasExited)
        {
            return;
        }

        Signal("TERM", _process.Id);
        if (!_process.WaitForExit(15_000))
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    private static void WaitUntilGone(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsRunning(pid) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }
    }

    private static int ReadPid(string pidFile)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(pidFile))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("perl did not fork the worker.");
            }

            Thread.Sleep(20);
        }

        return int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
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

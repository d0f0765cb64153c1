using System.Diagnostics;
using System.Text;

namespace MediaPlatform.Infrastructure.Processes;

/// <summary>
/// Runs an external program (ffmpeg, ffprobe, pocketsphinx) with a timeout and cancellation that kill its whole
/// process tree, stdout streamed line by line or collected, and the tail of stderr kept for error messages.
/// On Linux the program runs under a small shell guard that kills it if this process disappears (a worker killed
/// with SIGKILL runs no cleanup code), so a crashed worker never leaves a decoder running as an orphan.
/// </summary>
internal static class ProcessRunner
{
    private const int StderrTailChars = 4000;

    // $1 is the pid to outlive; the program and its arguments follow. A watcher (with its own stdio, so it never holds
    // our pipes open) kills the program if that pid disappears or is a zombie (a killed process whose parent has not
    // reaped it keeps its /proc entry); otherwise the guard waits for the program and exits with its status at once.
    // (PR_SET_PDEATHSIG would fire when the forking thread ends, and .NET forks from pool threads that come and go.)
    private const string OrphanGuard =
        "parent=$1; shift; \"$@\" & child=$!; " +
        "( while [ -d /proc/$parent ] && ! grep -q '^State:[[:space:]]*Z' /proc/$parent/status 2>/dev/null; do sleep 0.5; done; kill -9 $child ) " +
        "</dev/null >/dev/null 2>&1 & watcher=$!; " +
        "wait $child; status=$?; kill $watcher 2>/dev/null; exit $status";

    public static async Task<ProcessResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        Action<string>? onStdoutLine = null)
    {
        if (!IsInstalled(program))
        {
            throw new FileNotFoundException($"'{program}' was not found. Is it installed?", program);
        }

        var guarded = OperatingSystem.IsLinux() && File.Exists("/bin/sh");
        var start = new ProcessStartInfo(guarded ? "/bin/sh" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (guarded)
        {
            foreach (var argument in (string[])["-c", OrphanGuard, "orphan-guard", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), program])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new FileNotFoundException($"'{program}' could not be started: {ex.Message}. Is it installed?", program, ex);
        }

        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        // The pipes are read on threads of their own, with blocking reads: on Unix an "async" read of a process pipe
        // blocks a thread-pool thread, and with two decoders per job (four reads) on a 2-core machine the pool starved
        // long enough for the job's heartbeat to miss its lease (found by the fault suite).
        var readOut = OnOwnThread("stdout", () =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (onStdoutLine is not null)
                {
                    onStdoutLine(line);
                }
                else
                {
                    stdout.AppendLine(line);
                }
            }
        });
        var readErr = OnOwnThread("stderr", () =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = process.StandardError.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (stderr)
                {
                    stderr.Append(buffer, 0, read);
                    if (stderr.Length > StderrTailChars * 2)
                    {
                        stderr.Remove(0, stderr.Length - StderrTailChars);
                    }
                }
            }
        });

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(program)} did not finish within {timeout.TotalSeconds:F0} s and was stopped.");
        }

        await Task.WhenAll(readOut, readErr);
        string tail;
        lock (stderr)
        {
            tail = stderr.Length > StderrTailChars ? stderr.ToString(stderr.Length - StderrTailChars, StderrTailChars) : stderr.ToString();
        }

        return new ProcessResult(process.ExitCode, stdout.ToString(), tail);
    }

    /// <summary>Runs <paramref name="read"/> on a new background thread; the task ends (or faults) with it.</summary>
    private static Task OnOwnThread(string name, Action read)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                read();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = $"process {name}",
        };
        thread.Start();
        return done.Task;
    }

    private static bool IsInstalled(string program) =>
        Path.IsPathRooted(program)
            ? File.Exists(program)
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Any(dir => File.Exists(Path.Combine(dir, program)));

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own meanwhile.
        }
    }
}

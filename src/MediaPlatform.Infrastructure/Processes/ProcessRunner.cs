using System.Diagnostics;
using System.Text;

namespace MediaPlatform.Infrastructure.Processes;

/// <summary>
/// Runs an external program (ffmpeg, ffprobe, pocketsphinx) with a timeout and cancellation that kill its whole
/// process tree, stdout streamed line by line or collected, and the tail of stderr kept for error messages.
/// </summary>
internal static class ProcessRunner
{
    private const int StderrTailChars = 4000;

    public static async Task<ProcessResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        Action<string>? onStdoutLine = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
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
        var readOut = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
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
        }, CancellationToken.None);
        var readErr = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = await process.StandardError.ReadAsync(buffer, CancellationToken.None)) > 0)
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
        }, CancellationToken.None);

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

using System.Diagnostics;
using System.Globalization;
using MediaPlatform.Infrastructure.Persistence.Tooling;

namespace MediaPlatform.TestSupport.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb into a temp folder, pg_ctl start on a free loopback port, and on dispose
/// (or process exit) stop it and delete the folder. PostgreSQL refuses to run as root, so as root the cluster runs as
/// the <c>postgres</c> user in a folder under /tmp that it owns (the clone itself may sit where it cannot enter).
/// A run killed with SIGKILL leaves its folder behind with an owner pid; the next run stops and removes it.
/// </summary>
internal sealed class LocalPostgresCluster : IDisposable
{
    private const string FolderPrefix = "mediaplatform-pg-";
    private readonly string _root;
    private readonly string _pgCtl;
    private readonly bool _asPostgresUser;
    private readonly string _password;
    private int _stopped;

    private LocalPostgresCluster(string root, string pgCtl, bool asPostgresUser, int port, string password)
    {
        _password = password;
        _root = root;
        _pgCtl = pgCtl;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    public int Port { get; }

    public string AdminConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password={_password};Database=postgres;Pooling=false;Timeout=15";

    private string DataDirectory => Path.Combine(_root, "data");

    public static LocalPostgresCluster Start()
    {
        var initdb = PostgresBinaries.Find("initdb")
            ?? throw new InvalidOperationException("initdb was not found: install Debian's postgresql (build/test.sh does), or set MEDIAPLATFORM_TEST_DB.");
        var pgCtl = PostgresBinaries.Find("pg_ctl")
            ?? throw new InvalidOperationException("pg_ctl was not found next to initdb.");
        var asPostgresUser = Environment.UserName == "root";
        var tempRoot = asPostgresUser ? "/tmp" : Path.GetTempPath();
        RemoveStaleClusters(tempRoot, pgCtl, asPostgresUser);

        var root = Path.Combine(tempRoot, $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (asPostgresUser)
        {
            Run("chown", ["-R", "postgres:postgres", root], asPostgresUser: false);
        }

        // Password (scram) authentication, as build/run.sh's cluster: a generated password, never trust.
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var passwordFile = Path.Combine(root, "pwfile");
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(passwordFile, fileOptions))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(password);
        }

        if (asPostgresUser)
        {
            Run("chown", ["postgres:postgres", passwordFile], asPostgresUser: false);
        }

        try
        {
            Run(initdb, ["-D", Path.Combine(root, "data"), "-A", "scram-sha-256", "--pwfile", passwordFile, "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], asPostgresUser);
        }
        finally
        {
            File.Delete(passwordFile);
        }

        Exception? lastError = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var cluster = new LocalPostgresCluster(root, pgCtl, asPostgresUser, LoopbackPorts.Free(), password);
            try
            {
                cluster.StartServer();
                cluster.StartWatchdog();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
                return cluster;
            }
            catch (InvalidOperationException ex)
            {
                // Most likely another process took the port between probing and binding; try another.
                lastError = ex;
            }
        }

        TryDelete(root);
        throw new InvalidOperationException($"The throwaway PostgreSQL cluster did not start: {lastError?.Message}", lastError);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            Run(_pgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "10"], _asPostgresUser);
        }
        catch (InvalidOperationException)
        {
            // Already stopped; the folder is removed below either way.
        }

        TryDelete(_root);
    }

    private void StartServer()
    {
        var serverOptions = string.Join(' ',
            $"-p {Port}",
            $"-k {_root}",
            "-c listen_addresses=127.0.0.1",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=300",
            "-c shared_buffers=64MB");
        Run(_pgCtl, ["start", "-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "30", "-o", serverOptions], _asPostgresUser);
    }

    /// <summary>
    /// A detached shell that outlives this process: once the test process is gone, however it ended (SIGKILL
    /// included), it stops the server and removes the folder, so no postgres process is ever left behind.
    /// </summary>
    private void StartWatchdog()
    {
        var script = string.Join("; ",
            "exec </dev/null >/dev/null 2>&1",
            $"while [ -d /proc/{Environment.ProcessId} ]; do sleep 0.5; done",
            $"'{_pgCtl}' stop -D '{DataDirectory}' -m immediate -w -t 10",
            $"rm -rf '{_root}'");
        var start = _asPostgresUser
            ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", "postgres", "--", "setsid", "sh", "-c", script } }
            : new ProcessStartInfo("setsid") { ArgumentList = { "sh", "-c", script } };
        start.WorkingDirectory = "/";
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var watchdog = Process.Start(start) ?? throw new InvalidOperationException("The cluster watchdog did not start.");
    }

    private static void RemoveStaleClusters(string tempRoot, string pgCtl, bool asPostgresUser)
    {
        foreach (var folder in Directory.EnumerateDirectories(tempRoot, FolderPrefix + "*"))
        {
            var ownerFile = Path.Combine(folder, "owner.pid");
            if (File.Exists(ownerFile)
                && int.TryParse(File.ReadAllText(ownerFile).Trim(), CultureInfo.InvariantCulture, out var owner)
                && ProcessIsAlive(owner))
            {
                continue;
            }

            try
            {
                var data = Path.Combine(folder, "data");
                if (File.Exists(Path.Combine(data, "postmaster.pid")))
                {
                    Run(pgCtl, ["stop", "-D", data, "-m", "immediate", "-w", "-t", "10"], asPostgresUser);
                }
            }
            catch (InvalidOperationException)
            {
                // Not running any more.
            }

            TryDelete(folder);
        }
    }

    private static bool ProcessIsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            return Directory.Exists($"/proc/{pid}");
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Run(string program, IReadOnlyList<string> arguments, bool asPostgresUser)
    {
        var start = asPostgresUser
            ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", "postgres", "--", program } }
            : new ProcessStartInfo(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = "/";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        // pg_ctl start leaves the server holding inherited pipes open, so read to end only after exit.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish within 60 s.");
        }

        if (process.ExitCode != 0)
        {
            var error = stderr.Wait(2000) ? stderr.Result : string.Empty;
            var output = stdout.Wait(2000) ? stdout.Result : string.Empty;
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}{output}".Trim());
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a later run removes what is left.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

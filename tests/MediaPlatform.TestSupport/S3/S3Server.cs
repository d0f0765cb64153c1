using System.Diagnostics;
using System.Net.Sockets;

namespace MediaPlatform.TestSupport.S3;

/// <summary>
/// A real S3-protocol server on loopback for the tests: the npm package <c>s3rver</c> (installed into
/// <c>tests/s3rver</c> by <c>build/test.sh</c>, or here when missing), with a bucket created at start and its
/// data in a temporary folder. Started once per fixture and stopped (folder deleted) on dispose.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Process _process;
    private readonly DirectoryInfo _data;

    private S3Server(Process process, DirectoryInfo data, int port, string bucket)
    {
        _process = process;
        _data = data;
        ServiceUrl = $"http://127.0.0.1:{port}";
        Bucket = bucket;
    }

    public string ServiceUrl { get; }

    public string Bucket { get; }


    /// <summary>The settings a service needs to use this server: <c>Storage__*</c> as configuration keys.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "s3",
        ["Storage:S3:ServiceUrl"] = ServiceUrl,
        ["Storage:S3:Bucket"] = Bucket,
        ["Storage:S3:AccessKey"] = AccessKey,
        ["Storage:S3:SecretKey"] = SecretKey,
        ["Storage:S3:ForcePathStyle"] = "true",
    };

    /// <summary>A client of this server, configured the way the service configures its own.</summary>
    public Amazon.S3.IAmazonS3 CreateClient() =>
        Infrastructure.Storage.S3Clients.Create(new Infrastructure.Storage.S3StorageOptions { ServiceUrl = ServiceUrl, AccessKey = AccessKey, SecretKey = SecretKey });

    public static async Task<S3Server> StartAsync(string bucket = "mediaplatform")
    {
        var folder = RepositoryRoot.File("tests", "s3rver");
        var script = Path.Combine(folder, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            Run("npm", folder, "install", "--no-audit", "--no-fund", "--silent");
        }

        var data = Directory.CreateTempSubdirectory("mp-s3rver-");
        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPorts.Free();
            var start = new ProcessStartInfo("node")
            {
                ArgumentList = { script, "--directory", data.FullName, "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--configure-bucket", bucket },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (await ListeningAsync(port, process))
            {
                return new S3Server(process, data, port, bucket);
            }

            process.Kill(entireProcessTree: true);
            process.Dispose();
            if (attempt == 2)
            {
                data.Delete(recursive: true);
                throw new InvalidOperationException("s3rver did not start listening.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            _data.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<bool> ListeningAsync(int port, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }

    private static void Run(string program, string folder, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { WorkingDirectory = folder }) ?? throw new InvalidOperationException($"{program} did not start.");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}.");
        }
    }
}

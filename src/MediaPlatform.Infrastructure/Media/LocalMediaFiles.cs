using MediaPlatform.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Media;

/// <summary>Scratch folders under <see cref="ProcessingOptions.ScratchPath"/> (or the temp folder), and blobs copied into them by the store.</summary>
internal sealed class LocalMediaFiles(IBlobStore blobs, IOptions<ProcessingOptions> processing) : IMediaFiles
{
    public const string ScratchPrefix = "mediaplatform-job-";

    public static string ScratchRoot(ProcessingOptions processing) =>
        string.IsNullOrWhiteSpace(processing.ScratchPath) ? Path.GetTempPath() : processing.ScratchPath;

    public async Task<string> MaterializeAsync(string blobKey, IScratchFolder scratch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        var path = System.IO.Path.Combine(scratch.Path, "source");
        if (!File.Exists(path))
        {
            try
            {
                await blobs.CopyToFileAsync(blobKey, path, cancellationToken);
            }
            catch (FileNotFoundException ex)
            {
                throw new Application.Processing.MediaProcessingException(
                    "media.missing", "The media's bytes are missing from the store; upload it again.", isTransient: false, ex) { Detail = ex.Message };
            }
        }

        return path;
    }

    public IScratchFolder CreateScratchFolder()
    {
        var root = ScratchRoot(processing.Value);
        // The process id in the name lets the leftover sweeper remove the folders of a worker that was killed.
        var path = Path.Combine(root, $"{ScratchPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return new ScratchFolder(path);
    }

    private sealed class ScratchFolder(string path) : IScratchFolder
    {
        public string Path { get; } = path;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // Best effort; the OS cleans its temp folder.
            }
        }
    }
}

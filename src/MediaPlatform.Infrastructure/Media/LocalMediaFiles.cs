using MediaPlatform.Application.Abstractions;
using MediaPlatform.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Media;

/// <summary>The file-system blob store already holds blobs as files; scratch folders go under the temp folder.</summary>
internal sealed class LocalMediaFiles(IOptions<StorageOptions> storage, IOptions<ProcessingOptions> processing) : IMediaFiles
{
    public const string ScratchPrefix = "mediaplatform-job-";

    public static string ScratchRoot(ProcessingOptions processing) =>
        string.IsNullOrWhiteSpace(processing.ScratchPath) ? Path.GetTempPath() : processing.ScratchPath;

    public string LocalPathOf(string blobKey) => FileSystemBlobStore.PathOf(Path.GetFullPath(storage.Value.RootPath), blobKey);

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

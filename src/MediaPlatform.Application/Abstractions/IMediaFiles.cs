namespace MediaPlatform.Application.Abstractions;

/// <summary>Local files for the pipeline's external programs: a scratch folder per job, and blobs copied into it.</summary>
public interface IMediaFiles
{
    /// <summary>A new empty folder, deleted when the returned handle is disposed.</summary>
    IScratchFolder CreateScratchFolder();

    /// <summary>The blob as a file in <paramref name="scratch"/> that external programs (ffmpeg) can read.</summary>
    Task<string> MaterializeAsync(string blobKey, IScratchFolder scratch, CancellationToken cancellationToken = default);
}

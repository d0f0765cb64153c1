namespace MediaPlatform.Application.Abstractions;

/// <summary>Local files for the pipeline's processes: a blob as a readable path, and a scratch folder per job.</summary>
public interface IMediaFiles
{
    /// <summary>A local path of the blob that external programs (ffmpeg) can read.</summary>
    string LocalPathOf(string blobKey);

    /// <summary>A new empty folder, deleted when the returned handle is disposed.</summary>
    IScratchFolder CreateScratchFolder();
}

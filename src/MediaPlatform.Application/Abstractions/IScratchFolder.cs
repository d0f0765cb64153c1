namespace MediaPlatform.Application.Abstractions;

/// <summary>A temporary folder that is deleted on dispose.</summary>
public interface IScratchFolder : IDisposable
{
    string Path { get; }
}

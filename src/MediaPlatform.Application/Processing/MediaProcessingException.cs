namespace MediaPlatform.Application.Processing;

/// <summary>
/// An expected failure of a pipeline step, with a stable code and a message a person can act on. Transient
/// failures (a timeout, an engine that crashed, a server that did not answer) are retried with backoff; permanent
/// ones (media that does not decode, video without sound) fail the job at once. The message reaches the client, so it
/// names no server path, address or program output; those go in <see cref="Detail"/>, which only the log sees.
/// </summary>
public sealed class MediaProcessingException : Exception
{
    public MediaProcessingException(string code, string message, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        IsTransient = isTransient;
    }

    public MediaProcessingException()
        : this("processing.failed", "Processing failed.", isTransient: true)
    {
    }

    public MediaProcessingException(string message)
        : this("processing.failed", message, isTransient: true)
    {
    }

    public MediaProcessingException(string message, Exception innerException)
        : this("processing.failed", message, isTransient: true, innerException)
    {
    }

    /// <summary>What an operator needs to diagnose it (a program's error line, a server's answer); logged, never stored on the job.</summary>
    public string? Detail { get; init; }

    public string Code { get; }

    public bool IsTransient { get; }
}

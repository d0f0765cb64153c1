namespace MediaPlatform.Application.Processing;

/// <summary>
/// An expected failure of a pipeline step, with a stable code and a message a person can act on. Transient
/// failures (a timeout, an engine that crashed, a server that did not answer) are retried with backoff; permanent
/// ones (media that does not decode, video without sound) fail the job at once.
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

    public string Code { get; }

    public bool IsTransient { get; }
}

namespace MediaPlatform.Domain.Jobs;

/// <summary>What a job does with its media.</summary>
public enum JobKind
{
    /// <summary>Probe, extract audio, transcribe, then run the requested analyses.</summary>
    Transcription,

    /// <summary>Run the requested analyses on the media's latest transcription.</summary>
    Analysis,
}

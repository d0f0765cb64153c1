using System.ComponentModel.DataAnnotations;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>The <c>Transcription</c> configuration section: the engines and the default one.</summary>
public sealed class TranscriptionOptions
{
    public const string SectionName = "Transcription";

    /// <summary>The engine a job gets when it names none: <c>pocketsphinx</c> or <c>openai</c>.</summary>
    [Required]
    public string DefaultEngine { get; set; } = "pocketsphinx";

    /// <summary>
    /// A recording longer than this (by a quarter) is cut at silences into parts of about this many seconds, decoded
    /// at once; shorter ones are decoded whole.
    /// </summary>
    [Range(5, 3600)]
    public double ChunkSeconds { get; set; } = Application.Abstractions.ChunkingSettings.DefaultChunkSeconds;

    /// <summary>
    /// Engine processes one job may run at once on its parts in one worker, and parts of queued recordings this process
    /// decodes at once; 0 means the number of cores. 1 with <see cref="QueueParts"/> off turns chunking off.
    /// </summary>
    [Range(0, 256)]
    public int MaxParallelChunks { get; set; }

    /// <summary>
    /// A recording with more parts than <see cref="MaxParallelChunks"/> queues them as work items that every worker
    /// process claims (each process decodes up to <see cref="MaxParallelChunks"/> parts of any job at once); false
    /// decodes every part in the worker that holds the job.
    /// </summary>
    public bool QueueParts { get; set; } = true;

    /// <summary>
    /// The size of queued parts (at least <see cref="ChunkSeconds"/>): each costs an engine start and a lead-in
    /// wherever it runs, so they are cut larger than the parts one worker decodes at once.
    /// </summary>
    [Range(5, 3600)]
    public double QueuedChunkSeconds { get; set; } = Application.Abstractions.ChunkingSettings.DefaultQueuedChunkSeconds;

    /// <summary>
    /// Queued parts a worker decodes in a row on one decoder, each after the first going on from the part before
    /// without its lead-in (docs/adr/0031); then the next is decoded from its lead-in again. 1 turns going on off.
    /// </summary>
    [Range(1, 1000)]
    public int PartsPerRun { get; set; } = Application.Abstractions.ChunkingSettings.DefaultPartsPerRun;

    /// <summary>Seconds of the audio before a part that its engine process decodes first (and whose words the part before keeps).</summary>
    [Range(0, 30)]
    public double LeadInSeconds { get; set; } = Application.Abstractions.ChunkingSettings.DefaultLeadInSeconds;

    /// <summary>Audio quieter than this (dBFS, 20 ms frames) counts as silence; raised to 6 dB over the recording's noise floor when that is louder.</summary>
    [Range(-90, 0)]
    public double SilenceThresholdDb { get; set; } = -35;

    /// <summary>The shortest pause a cut may be placed in.</summary>
    [Range(0.05, 10)]
    public double MinSilenceSeconds { get; set; } = 0.3;

    public PocketSphinxOptions PocketSphinx { get; set; } = new();

    public OpenAiEngineOptions OpenAi { get; set; } = new();
}

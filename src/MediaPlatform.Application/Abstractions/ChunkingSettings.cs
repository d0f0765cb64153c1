namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// How a recording is split for parallel decoding, from the <c>Transcription</c> configuration section: parts of
/// about <see cref="ChunkSeconds"/> cut at silences, decoded by up to <see cref="MaxParallelChunks"/> engine
/// processes at once in one worker, each part after the first decoded from <see cref="LeadInSeconds"/> before its start.
/// With <see cref="QueueParts"/>, a job with more parts than that queues them for every worker process (docs/adr/0012),
/// cut to about <see cref="QueuedChunkSeconds"/> (at least <see cref="ChunkSeconds"/>): every part costs an engine start
/// and a lead-in wherever it runs, and a long recording has parts enough for many workers at that size.
/// </summary>
public sealed record ChunkingSettings(
    double ChunkSeconds,
    int MaxParallelChunks,
    double LeadInSeconds = ChunkingSettings.DefaultLeadInSeconds,
    bool QueueParts = false,
    double QueuedChunkSeconds = ChunkingSettings.DefaultQueuedChunkSeconds,
    int PartsPerRun = ChunkingSettings.DefaultPartsPerRun)
{
    /// <summary>
    /// How many queued parts in a row a worker decodes on one decoder, each going on from the one before without its
    /// lead-in, before it decodes the next from its lead-in again (docs/adr/0031); 1 (the default) decodes every part
    /// from its lead-in. Going on skips most lead-ins (a tenth of a long recording's decoding) but gives up the fresh
    /// start that makes parts more accurate than the whole file: on the 10-minute librivox recording as the service
    /// extracts it, every part from its lead-in 30.8 % word errors, runs of 5 parts 31.0 %, runs of 10 31.7 % (bare
    /// engine 32.2 %), and on a 90 s recording in three parts one word more than the bare engine, where every part
    /// from its lead-in makes as many. So it is the operator's choice, not the default.
    /// </summary>
    public const int DefaultPartsPerRun = 1;

    /// <summary>
    /// As the in-process parts: measured on the 10-minute librivox recording, 60 s queued parts were 8 % faster but
    /// cost 0.8 points of word error rate (over the bare engine's), 30 s parts kept it below.
    /// </summary>
    public const double DefaultQueuedChunkSeconds = 30;

    public const double DefaultChunkSeconds = 30;

    public const double DefaultLeadInSeconds = 3;
}

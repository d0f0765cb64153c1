using System.Diagnostics;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Telemetry;

namespace MediaPlatform.Application.Processing.Chunking;

/// <summary>
/// Decodes one queued part of a long recording (<see cref="ClaimedPart"/>), in whichever worker process claimed it:
/// its WAV is copied from the blob store into a scratch folder of its own, decoded by the job's engine with the job's
/// vocabulary, and the folder removed. Failures are classified like the job's (<see cref="MediaProcessingException.IsTransient"/>).
/// A worker decodes its parts through one <see cref="PartRun"/>: a part that follows the one it decoded last (the next
/// part of the same job) continues on the same decoder from its cut, without decoding its lead-in, where the engine
/// can (<see cref="IContinuingTranscriptionEngine"/>, docs/adr/0031), for up to <see cref="ChunkingSettings.PartsPerRun"/>
/// parts in a row.
/// </summary>
public sealed class PartDecoder(ITranscriptionEngineCatalog engines, IMediaFiles files, IBlobStore blobs, ChunkingSettings settings)
{
    private readonly ITranscriptionEngineCatalog _engines = engines;
    private readonly int _partsPerRun = Math.Max(1, settings.PartsPerRun);
    private readonly IMediaFiles _files = files;
    private readonly IBlobStore _blobs = blobs;

    /// <summary>A run for one worker loop's parts, one at a time; disposing it gives back the decoder it keeps.</summary>
    public PartRun StartRun() => new(this);

    /// <summary>The parts one worker loop decodes, in the order it claims them (<see cref="PartDecoder"/>).</summary>
    public sealed class PartRun : IDisposable
    {
        private readonly PartDecoder _owner;
        private ITranscriptionRun? _engineRun;
        private string? _engine;
        private (Domain.Jobs.JobId Job, int Index)? _last;
        private int _length;

        internal PartRun(PartDecoder owner) => _owner = owner;

        /// <summary>
        /// The part this run would go on to: the next part of the last part's job, when the last part was decoded and
        /// the run is shorter than <see cref="ChunkingSettings.PartsPerRun"/>; else null.
        /// </summary>
        public (Domain.Jobs.JobId Job, int Index)? Next => _last is { } last && _length < _owner._partsPerRun ? (last.Job, last.Index + 1) : null;

        /// <summary>Parts decoded as the continuation of the part before them, since the run started.</summary>
        public int Continued { get; private set; }

        public async Task<EngineTranscript> DecodeAsync(ClaimedPart part, IProgress<double> progress, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(part);
            var follows = Next == (part.JobId, part.Index) && _engine == part.Engine;
            _last = null;
            // In the trace of the request that submitted the part's job, whichever process decodes it.
            using var activity = PlatformTelemetry.Source.StartActivity(
                "job.part", ActivityKind.Consumer, ActivityContext.TryParse(part.TraceParent, null, out var parent) ? parent : default);
            activity?.SetTag(PlatformTelemetry.JobIdTag, part.JobId.Value.ToString());
            activity?.SetTag(PlatformTelemetry.TenantIdTag, part.TenantId.Value.ToString());
            activity?.SetTag("mediaplatform.part.index", part.Index);
            activity?.SetTag("mediaplatform.part.attempt", part.Attempt);
            var engine = _owner._engines.Find(part.Engine)
                ?? throw new MediaProcessingException(
                    "engine.unknown", $"There is no transcription engine '{part.Engine}' on this worker. Available: {string.Join(", ", _owner._engines.Names)}.", isTransient: false);
            using var scratch = _owner._files.CreateScratchFolder();
            // Named .wav: pocketsphinx_continuous skips the RIFF header only for files with that extension (it would
            // decode the header's 44 bytes as sound otherwise).
            var path = Path.Combine(scratch.Path, "part.wav");
            try
            {
                await _owner._blobs.CopyToFileAsync(part.BlobKey, path, cancellationToken);
            }
            catch (FileNotFoundException ex)
            {
                throw new MediaProcessingException("part.missing", "A part of the recording is missing from the store.", isTransient: false, ex) { Detail = ex.Message };
            }

            using var hints = TranscriptionHints.Use(part.Vocabulary);
            EngineTranscript transcript;
            var continued = false;
            if (engine is IContinuingTranscriptionEngine continuing)
            {
                if (_engine != part.Engine)
                {
                    _engineRun?.Dispose();
                    _engineRun = continuing.StartRun();
                    _engine = part.Engine;
                }

                var engineRun = _engineRun!;
                transcript = await EngineRuns.TranscribeAsync(
                    engine.Name,
                    async () =>
                    {
                        var (decoded, wasContinued) = await engineRun.TranscribeAsync(path, part.DecodeDuration, part.LeadIn, follows, part.Language, progress, cancellationToken);
                        continued = wasContinued;
                        // A part that went on decoded from its cut; any other, lead-in and all.
                        return (decoded, wasContinued ? part.DecodeDuration - part.LeadIn : part.DecodeDuration);
                    });
            }
            else
            {
                transcript = await EngineRuns.TranscribeAsync(engine, path, part.DecodeDuration, part.LeadIn, part.Language, progress, cancellationToken);
            }

            if (continued)
            {
                Continued++;
            }

            _length = continued ? _length + 1 : 1;
            activity?.SetTag("mediaplatform.part.continued", continued);
            PlatformTelemetry.QueuedPartsDecoded.Add(1, new TagList { { PlatformTelemetry.EngineTag, engine.Name }, { "continued", continued } });
            _last = (part.JobId, part.Index);
            return transcript;
        }

        public void Dispose()
        {
            _engineRun?.Dispose();
            _engineRun = null;
            _engine = null;
            _last = null;
            _length = 0;
        }

        /// <summary>Gives back the decoder kept (the worker has nothing to do); the next part starts a new run.</summary>
        public void End() => Dispose();
    }
}

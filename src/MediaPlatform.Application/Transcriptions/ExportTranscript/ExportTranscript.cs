using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using MapsterMapper;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;
using MediatR;

namespace MediaPlatform.Application.Transcriptions.ExportTranscript;

/// <summary>A job's transcript as a file to download; <paramref name="Timestamps"/> prefixes txt paragraphs with their start.</summary>
public sealed record ExportTranscriptQuery(Guid JobId, ExportFormat Format, bool Timestamps = false) : IQuery<Result<TranscriptExport>>;

/// <summary>The file: its content, its media type and the name to save it under.</summary>
public sealed record TranscriptExport(string Content, string ContentType, string FileName);

internal sealed class ExportTranscriptValidator : AbstractValidator<ExportTranscriptQuery>
{
    public ExportTranscriptValidator() => RuleFor(q => q.Format).IsInEnum();
}

internal sealed class ExportTranscriptHandler(IJobRepository jobs, ITranscriptionRepository transcriptions, IMapper mapper)
    : IRequestHandler<ExportTranscriptQuery, Result<TranscriptExport>>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public async Task<Result<TranscriptExport>> Handle(ExportTranscriptQuery request, CancellationToken cancellationToken)
    {
        var found = await TranscriptLookup.OfJobAsync(jobs, transcriptions, new JobId(request.JobId), cancellationToken);
        if (found.IsFailure)
        {
            return found.Error!;
        }

        var transcription = found.Value;
        var segments = transcription.DisplaySegments();
        var (content, type) = request.Format switch
        {
            ExportFormat.Txt => (TranscriptExporter.Text(segments, request.Timestamps), "text/plain; charset=utf-8"),
            ExportFormat.Tsv => (TranscriptExporter.Tsv(segments), "text/tab-separated-values; charset=utf-8"),
            ExportFormat.Json => (JsonSerializer.Serialize(mapper.Map<TranscriptionDto>(transcription), Json), "application/json; charset=utf-8"),
            ExportFormat.Srt => (SubtitleWriter.Write(segments, SubtitleFormat.Srt), "application/x-subrip; charset=utf-8"),
            _ => (SubtitleWriter.Write(segments, SubtitleFormat.Vtt), "text/vtt; charset=utf-8"),
        };
        return new TranscriptExport(content, type, $"transcript-{request.JobId}.{request.Format.ToString().ToLowerInvariant()}");
    }
}

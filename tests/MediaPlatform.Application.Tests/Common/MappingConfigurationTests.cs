using Mapster;
using MediaPlatform.Application.Analyses;
using MediaPlatform.Application.Jobs;
using MediaPlatform.Application.Media;
using MediaPlatform.Application.Transcriptions;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Tests.Common;

public sealed class MappingConfigurationTests
{
    private static readonly DateTimeOffset _now = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly TypeAdapterConfig _config = DependencyInjection.CreateMappingConfig();

    [Fact]
    public void Every_mapping_configuration_compiles_and_maps_every_destination_member() =>
        _config.Compile();

    [Fact]
    public void A_job_maps_to_its_dto_with_options_and_error_flattened()
    {
        var job = Job.Submit(MediaAssetId.New(), JobKind.Transcription, new JobOptions("en", [AnalysisKind.Sentiment], "pocketsphinx"), 5, _now).Value;
        job.Start("w", _now.AddMinutes(1), _now);
        job.Fail("w", "engine.failed", "It broke.", _now);

        var dto = job.Adapt<JobDto>(_config);

        Assert.Equal(job.Id.Value, dto.Id);
        Assert.Equal(job.MediaAssetId.Value, dto.MediaId);
        Assert.Equal("en", dto.Language);
        Assert.Equal([AnalysisKind.Sentiment], dto.Analyses);
        Assert.Equal("pocketsphinx", dto.Engine);
        Assert.Equal(JobStatus.Failed, dto.Status);
        Assert.Equal(new JobErrorDto("engine.failed", "It broke."), dto.Error);
        Assert.Equal(1, dto.Attempts);
    }

    [Fact]
    public void A_job_without_an_error_maps_to_a_null_error() =>
        Assert.Null(Job.Submit(MediaAssetId.New(), JobKind.Transcription, JobOptions.Default, 0, _now).Value.Adapt<JobDto>(_config).Error);

    [Fact]
    public void Media_maps_without_its_storage_key_and_with_duration_in_seconds()
    {
        var media = MediaAsset.FromUpload("a.wav", "audio/wav", "secret/key", 3, new string('a', 64), _now).Value;
        media.RecordProbe(new MediaStreamFacts(TimeSpan.FromMilliseconds(1500), "pcm_s16le", null, 1, 16000), _now);

        var dto = media.Adapt<MediaAssetDto>(_config);

        Assert.Equal(media.Id.Value, dto.Id);
        Assert.Equal("a.wav", dto.FileName);
        Assert.Equal(1.5, dto.DurationSeconds);
        Assert.DoesNotContain("secret", System.Text.Json.JsonSerializer.Serialize(dto), StringComparison.Ordinal);
    }

    [Fact]
    public void A_transcription_maps_with_segments_and_words()
    {
        var transcription = Transcription.Create(JobId.New(), MediaAssetId.New(), "en", "pocketsphinx", "en-us",
            [new Segment(0, 1, "hi", 0.5, [new Word("hi", 0, 1, 0.5)])], _now).Value;

        var dto = transcription.Adapt<TranscriptionDto>(_config);

        Assert.Equal(transcription.JobId.Value, dto.JobId);
        Assert.Equal(new WordDto("hi", 0, 1, 0.5), Assert.Single(Assert.Single(dto.Segments).Words));
    }

    [Fact]
    public void An_analysis_result_maps_its_payload_as_json()
    {
        var result = AnalysisResult.Create(JobId.New(), TranscriptionId.New(), AnalysisKind.Keywords, """{"keywords":["a"]}""", 1.5m, _now).Value;

        var dto = result.Adapt<AnalysisResultDto>(_config);

        Assert.Equal("a", dto.Payload.GetProperty("keywords")[0].GetString());
        Assert.Equal(1.5m, dto.Score);
    }

    [Fact]
    public void A_job_with_its_own_webhook_maps_to_the_address_and_header_names_only()
    {
        var webhook = JobWebhook.Create("https://example.com/hooks", new Dictionary<string, string> { ["X-Token"] = "secret-value", ["Authorization"] = "Bearer x" }).Value;
        var job = Job.Submit(MediaAssetId.New(), JobKind.Transcription, new JobOptions("en", null, null, webhook), 0, DateTimeOffset.UnixEpoch).Value;

        var dto = new MapsterMapper.Mapper(DependencyInjection.CreateMappingConfig()).Map<JobDto>(job);

        Assert.Equal("https://example.com/hooks", dto.Webhook!.Url);
        Assert.Equal(["Authorization", "X-Token"], dto.Webhook.HeaderNames);
        Assert.Equal("en", dto.Language);
    }
}

using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.Infrastructure.Persistence.Repositories;
using MediaPlatform.TestSupport.Builders;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Tests.Repositories;

public sealed class TranscriptionAndAnalysisRepositoryTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly Segment[] _segments =
    [
        new(0.5, 1.9, "hello world", 0.9, [new Word("hello", 0.5, 1.0, 0.95), new Word("world", 1.1, 1.9, 0.85)]),
        new(2.4, 3.0, "again", 0.7, [new Word("again", 2.4, 3.0, 0.7)]),
    ];

    [Fact]
    public async Task A_transcription_round_trips_its_segments_and_words_through_jsonb()
    {
        var (transcription, _) = await SaveTranscriptionAsync();

        await using var db = fixture.CreateDbContext();
        var repository = new TranscriptionRepository(db);
        var loaded = (await repository.GetAsync(transcription.Id))!;
        var byJob = (await repository.GetByJobAsync(transcription.JobId))!;

        Assert.Equal(transcription.Id, byJob.Id);
        Assert.Equal("hello world again", loaded.Text);
        Assert.Equal(3, loaded.WordCount);
        Assert.Equal(0.8333, loaded.Confidence);
        Assert.Equal(2, loaded.Segments.Count);
        Assert.Equal(_segments[0].Words, loaded.Segments[0].Words);
        Assert.Equal(_segments[1] with { Words = [] }, loaded.Segments[1] with { Words = [] });
    }

    [Fact]
    public async Task A_second_transcription_for_the_same_job_is_refused()
    {
        var (transcription, _) = await SaveTranscriptionAsync();
        var duplicate = Transcription.Create(transcription.JobId, transcription.MediaAssetId, "en", "pocketsphinx", "en-us", _segments, TestData.Epoch).Value;

        await using var db = fixture.CreateDbContext();
        new TranscriptionRepository(db).Add(duplicate);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Analysis_results_are_listed_per_job_and_one_per_kind()
    {
        var (transcription, _) = await SaveTranscriptionAsync();
        await using (var db = fixture.CreateDbContext())
        {
            var repository = new AnalysisResultRepository(db);
            repository.Add(AnalysisResult.Create(transcription.JobId, transcription.Id, AnalysisKind.Sentiment, """{"label":"positive"}""", 0.42m, TestData.Epoch).Value);
            repository.Add(AnalysisResult.Create(transcription.JobId, transcription.Id, AnalysisKind.Keywords, """{"keywords":["hello"]}""", null, TestData.Epoch).Value);
            await db.SaveChangesAsync();
        }

        await using (var read = fixture.CreateDbContext())
        {
            var results = await new AnalysisResultRepository(read).ListByJobAsync(transcription.JobId);
            Assert.Equal([AnalysisKind.Keywords, AnalysisKind.Sentiment], results.Select(r => r.Kind));
            Assert.Equal(0.42m, results[1].Score);
            Assert.Contains("positive", results[1].Payload, StringComparison.Ordinal);
        }

        await using var again = fixture.CreateDbContext();
        new AnalysisResultRepository(again).Add(AnalysisResult.Create(transcription.JobId, transcription.Id, AnalysisKind.Sentiment, "{}", null, TestData.Epoch).Value);
        await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync());
    }

    [Fact]
    public async Task Deleting_a_job_deletes_its_transcription_and_analyses()
    {
        var (transcription, job) = await SaveTranscriptionAsync();
        await using (var db = fixture.CreateDbContext())
        {
            new AnalysisResultRepository(db).Add(AnalysisResult.Create(job.Id, transcription.Id, AnalysisKind.Summary, "{}", null, TestData.Epoch).Value);
            await db.SaveChangesAsync();
        }

        await using (var db = fixture.CreateDbContext())
        {
            var repository = new JobRepository(db);
            repository.Remove((await repository.GetAsync(job.Id))!);
            await db.SaveChangesAsync();
        }

        await using var read = fixture.CreateDbContext();
        Assert.Null(await new TranscriptionRepository(read).GetAsync(transcription.Id));
        Assert.Empty(await new AnalysisResultRepository(read).ListByJobAsync(job.Id));
    }

    private async Task<(Transcription Transcription, Domain.Jobs.Job Job)> SaveTranscriptionAsync()
    {
        var media = TestData.UploadedMedia();
        var job = TestData.QueuedJob(media);
        var transcription = Transcription.Create(job.Id, media.Id, "en", "pocketsphinx", "en-us", _segments, TestData.Epoch).Value;
        await using var db = fixture.CreateDbContext();
        db.MediaAssets.Add(media);
        db.Jobs.Add(job);
        new TranscriptionRepository(db).Add(transcription);
        await db.SaveChangesAsync();
        return (transcription, job);
    }
}

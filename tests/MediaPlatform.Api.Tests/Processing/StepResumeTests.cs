using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.TestSupport.Media;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>The service with workers, whose keywords analysis fails the first time it runs (after the transcript exists).</summary>
public sealed class FlakyAnalysisFactory : ProcessingFactory
{
    public FlakyKeywords Keywords { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // First among the analyzers, so it is the one the analyse step picks for keywords.
        builder.ConfigureServices(services => services.Insert(0, ServiceDescriptor.Singleton<IAnalyzer>(Keywords)));
    }

    public sealed class FlakyKeywords : IAnalyzer
    {
        private int _calls;

        public DateTimeOffset? FirstFailure { get; private set; }

        public AnalysisKind Kind => AnalysisKind.Keywords;

        public AnalyzerOutput Analyze(Transcription transcription, TimeSpan mediaDuration)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                FirstFailure = DateTimeOffset.UtcNow;
                throw new InvalidOperationException("The keywords analysis crashed.");
            }

            return new AnalyzerOutput("{\"keywords\":[]}", null);
        }
    }
}

[Collection(ProcessingCollection.Name)]
public sealed class StepResumeTests(FlakyAnalysisFactory factory) : IClassFixture<FlakyAnalysisFactory>
{
    [Fact]
    public async Task A_failing_analysis_keeps_the_finished_transcript_and_the_retry_resumes_at_the_analysis()
    {
        var jobs = new JobClient(factory.CreateClient());
        var id = await jobs.SubmitAsync(await jobs.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav"), new { analyses = new[] { "keywords" } });

        var job = await jobs.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(90));

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        // One retry (a second transcription of the same job would have been refused by its unique index and cost
        // another), and the transcript is the one made before the analysis first failed.
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
        await using var db = factory.CreateDbContext();
        var transcription = await db.Transcriptions.SingleAsync(t => t.JobId == new JobId(id));
        Assert.True(transcription.CreatedAt < factory.Keywords.FirstFailure, $"transcribed at {transcription.CreatedAt:O}, analysis first failed at {factory.Keywords.FirstFailure:O}");
        Assert.Equal(1, await db.AnalysisResults.CountAsync(a => a.JobId == new JobId(id)));
    }
}

using System.Collections.Concurrent;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.TestSupport.Media;
using MediatR;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>The service with workers and a notification handler that records every job transition it is told of.</summary>
public sealed class RecordingFactory : ProcessingFactory
{
    public ConcurrentQueue<JobStatusChanged> Seen { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(Seen);
            services.AddTransient<INotificationHandler<DomainEventNotification<JobStatusChanged>>, Recorder>();
        });
    }

    private sealed class Recorder(ConcurrentQueue<JobStatusChanged> seen) : INotificationHandler<DomainEventNotification<JobStatusChanged>>
    {
        public Task Handle(DomainEventNotification<JobStatusChanged> notification, CancellationToken cancellationToken)
        {
            seen.Enqueue(notification.DomainEvent);
            return Task.CompletedTask;
        }
    }
}

[Collection(ProcessingCollection.Name)]
public sealed class DomainEventDispatchTests(RecordingFactory factory) : IClassFixture<RecordingFactory>
{
    [Fact]
    public async Task A_jobs_transitions_made_by_a_worker_reach_notification_handlers_like_a_commands()
    {
        var jobs = new JobClient(factory.CreateClient());
        var id = await jobs.SubmitAsync(await jobs.UploadAsync(SpeechSamples.Librivox()[1].Path, "audio/wav"));

        var job = await jobs.WaitUntilFinishedAsync(id);

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var seen = factory.Seen.Where(e => e.JobId == new JobId(id)).ToList();
        Assert.Contains(seen, e => e.To == JobStatus.Queued); // the submission, a command
        Assert.Contains(seen, e => e is { From: JobStatus.Running, To: JobStatus.Succeeded }); // the completion, a worker's write
    }
}

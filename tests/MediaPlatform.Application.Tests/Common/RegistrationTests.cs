using FluentValidation;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Jobs.GetJob;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace MediaPlatform.Application.Tests.Common;

public sealed class RegistrationTests
{
    [Fact]
    public void Every_request_of_the_application_has_exactly_one_registered_handler()
    {
        var requests = typeof(DependencyInjection).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequest<>)))
            .ToList();
        var handled = DependencyInjection.HandlerTypes(typeof(DependencyInjection).Assembly)
            .Select(h => h.Service)
            .Where(s => s.GetGenericTypeDefinition() == typeof(IRequestHandler<,>))
            .Select(s => s.GetGenericArguments()[0])
            .ToList();

        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Single(handled, h => h == r));
    }

    [Fact]
    public void Handlers_are_internal_and_sealed()
    {
        var handlers = DependencyInjection.HandlerTypes(typeof(DependencyInjection).Assembly).Select(h => h.Implementation).Distinct();

        Assert.All(handlers, h => Assert.True(h is { IsSealed: true, IsNotPublic: true }, $"{h.Name} should be internal sealed"));
    }

    [Fact]
    public async Task The_mediator_runs_a_query_through_the_registered_pipeline()
    {
        var jobs = Substitute.For<IJobRepository>();
        var job = Job.Submit(MediaAssetId.New(), JobKind.Transcription, JobOptions.Default, 0, DateTimeOffset.UnixEpoch).Value;
        jobs.ReadAsync(job.Id, Arg.Any<CancellationToken>()).Returns(job);
        await using var provider = new ServiceCollection()
            .AddLogging()
            .AddApplication()
            .AddSingleton(jobs)
            .AddSingleton(Substitute.For<IUnitOfWork>())
            .AddSingleton(Substitute.For<IQueueStatistics>())
            .AddSingleton(Substitute.For<IDomainEventSource>())
            .AddSingleton(TimeProvider.System)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using var scope = provider.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var found = await mediator.Send(new GetJobQuery(job.Id.Value));
        var invalid = await Assert.ThrowsAsync<ValidationException>(() => mediator.Send(new Application.Jobs.ListJobs.ListJobsQuery(Limit: 0)));

        Assert.Equal(job.Id.Value, found.Value.Id);
        Assert.Contains(invalid.Errors, e => e.PropertyName == "Limit");
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().DidNotReceive().SaveChangesAsync(Arg.Any<CancellationToken>());
    }
}

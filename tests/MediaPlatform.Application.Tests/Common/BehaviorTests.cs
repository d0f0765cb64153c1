using FluentValidation;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common;
using MediaPlatform.Application.Common.Behaviors;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Jobs;
using MediaPlatform.Application.Jobs.CancelJob;
using MediaPlatform.Application.Jobs.GetJob;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediatR;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace MediaPlatform.Application.Tests.Common;

public sealed class BehaviorTests
{
    private readonly IUnitOfWork _unitOfWork = Substitute.For<IUnitOfWork>();
    private readonly IDomainEventSource _events = Substitute.For<IDomainEventSource>();
    private readonly IMediator _mediator = Substitute.For<IMediator>();
    private readonly TransactionCallbacks _callbacks = new(NullLogger<TransactionCallbacks>.Instance);

    [Fact]
    public async Task A_successful_command_is_committed_before_its_events_are_published()
    {
        var raised = new JobStatusChanged(JobId.New(), JobStatus.Queued, JobStatus.Cancelled, DateTimeOffset.UnixEpoch);
        _events.DequeueDomainEvents().Returns([raised]);
        var behavior = new TransactionBehavior<CancelJobCommand, Result<JobDto>>(_unitOfWork, new DomainEventPublisher(_events, _mediator), _callbacks);

        await behavior.Handle(new CancelJobCommand(Guid.NewGuid()), default, () => Task.FromResult<Result<JobDto>>(new JobDto()));

        Received.InOrder(() =>
        {
            _unitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>());
            _mediator.Publish(Arg.Is<DomainEventNotification<JobStatusChanged>>(n => n.DomainEvent == raised), Arg.Any<CancellationToken>());
        });
    }

    [Fact]
    public async Task A_failed_command_commits_nothing()
    {
        var behavior = new TransactionBehavior<CancelJobCommand, Result<JobDto>>(_unitOfWork, new DomainEventPublisher(_events, _mediator), _callbacks);

        await behavior.Handle(new CancelJobCommand(Guid.NewGuid()), default, () => Task.FromResult<Result<JobDto>>(Error.Conflict("x", "y")));

        await _unitOfWork.DidNotReceive().SaveChangesAsync(Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task After_commit_callbacks_run_only_when_the_command_committed()
    {
        var log = new List<string>();
        _callbacks.OnCommitted(_ => { log.Add("committed"); return Task.CompletedTask; });
        _callbacks.OnFailed(_ => { log.Add("failed"); return Task.CompletedTask; });
        var behavior = new TransactionBehavior<CancelJobCommand, Result<JobDto>>(_unitOfWork, new DomainEventPublisher(_events, _mediator), _callbacks);

        await behavior.Handle(new CancelJobCommand(Guid.NewGuid()), default, () => Task.FromResult<Result<JobDto>>(new JobDto()));

        Assert.Equal(["committed"], log);
    }

    [Fact]
    public async Task Failure_callbacks_run_when_the_commit_throws_and_the_exception_still_surfaces()
    {
        var log = new List<string>();
        _callbacks.OnCommitted(_ => { log.Add("committed"); return Task.CompletedTask; });
        _callbacks.OnFailed(_ => { log.Add("failed"); return Task.CompletedTask; });
        _unitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>()).Returns<int>(_ => throw new ConcurrencyConflictException());
        var behavior = new TransactionBehavior<CancelJobCommand, Result<JobDto>>(_unitOfWork, new DomainEventPublisher(_events, _mediator), _callbacks);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            behavior.Handle(new CancelJobCommand(Guid.NewGuid()), default, () => Task.FromResult<Result<JobDto>>(new JobDto())));

        Assert.Equal(["failed"], log);
    }

    [Fact]
    public async Task A_limit_the_store_refuses_at_commit_becomes_the_commands_failed_result()
    {
        var log = new List<string>();
        _callbacks.OnFailed(_ => { log.Add("failed"); return Task.CompletedTask; });
        var full = Error.QuotaExceeded("tenant.max_queued_jobs", "The tenant already has 3 queued jobs.");
        _unitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>()).Returns<int>(_ => throw new LimitExceededException(full));
        var behavior = new TransactionBehavior<CancelJobCommand, Result<JobDto>>(_unitOfWork, new DomainEventPublisher(_events, _mediator), _callbacks);

        var result = await behavior.Handle(new CancelJobCommand(Guid.NewGuid()), default, () => Task.FromResult<Result<JobDto>>(new JobDto()));

        Assert.Same(full, result.Error);
        Assert.Equal(["failed"], log);
        await _mediator.DidNotReceiveWithAnyArgs().Publish(Arg.Any<INotification>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_query_commits_nothing()
    {
        var behavior = new TransactionBehavior<GetJobQuery, Result<JobDto>>(_unitOfWork, new DomainEventPublisher(_events, _mediator), _callbacks);

        await behavior.Handle(new GetJobQuery(Guid.NewGuid()), default, () => Task.FromResult<Result<JobDto>>(new JobDto()));

        await _unitOfWork.DidNotReceive().SaveChangesAsync(Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task An_invalid_request_never_reaches_its_handler()
    {
        var validator = new InlineValidator<GetJobQuery>();
        validator.RuleFor(q => q.JobId).NotEmpty();
        var behavior = new ValidationBehavior<GetJobQuery, Result<JobDto>>([validator]);
        var called = false;

        await Assert.ThrowsAsync<ValidationException>(() => behavior.Handle(new GetJobQuery(Guid.Empty), default, () =>
        {
            called = true;
            return Task.FromResult<Result<JobDto>>(new JobDto());
        }));

        Assert.False(called);
    }
}

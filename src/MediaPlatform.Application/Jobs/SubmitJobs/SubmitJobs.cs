using FluentValidation;
using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Common.Telemetry;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Jobs.SubmitJob;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Jobs.SubmitJobs;

/// <summary>Queue up to <see cref="MaxJobs"/> jobs at once: all of them, or none (one transaction).</summary>
public sealed record SubmitJobsCommand(IReadOnlyList<SubmitJobCommand> Jobs) : ICommand<Result<JobBatchDto>>
{
    public const int MaxJobs = 1000;
}

/// <summary>The jobs a batch queued, in the order they were given.</summary>
public sealed record JobBatchDto(IReadOnlyList<JobDto> Items);

internal sealed class SubmitJobsValidator : AbstractValidator<SubmitJobsCommand>
{
    public SubmitJobsValidator()
    {
        RuleFor(c => c.Jobs)
            .NotEmpty().WithMessage("jobs is required: one to 1000 jobs, each as POST /api/v1/jobs takes it.")
            .Must(j => j is null || j.Count <= SubmitJobsCommand.MaxJobs).WithMessage($"A batch holds at most {SubmitJobsCommand.MaxJobs} jobs; split it.");
        RuleForEach(c => c.Jobs).SetValidator(new SubmitJobValidator());
    }
}

/// <summary>
/// The batch version of <see cref="SubmitJobHandler"/>: the same checks for every job (the media read in one query),
/// the tenant's <c>maxQueuedJobs</c> counted for the whole batch, and every job inserted by one save (EF batches the
/// inserts), so a batch is all or nothing. A refusal names the job by its index (<c>jobs[3]</c>).
/// </summary>
internal sealed class SubmitJobsHandler(
    IMediaAssetRepository media,
    IJobRepository jobs,
    ITranscriptionEngineCatalog engines,
    ICurrentTenant tenant,
    ITenantUsage usage,
    TimeProvider time,
    IMapper mapper,
    Common.ITransactionCallbacks transaction,
    ITenantRepository tenants,
    Webhooks.IWebhookUrlGuard guard,
    Domain.Vocabularies.IVocabularyRepository vocabularies)
    : IRequestHandler<SubmitJobsCommand, Result<JobBatchDto>>
{
    public async Task<Result<JobBatchDto>> Handle(SubmitJobsCommand request, CancellationToken cancellationToken)
    {
        var assets = await media.ReadManyAsync([.. request.Jobs.Select(j => new MediaAssetId(j.MediaId)).Distinct()], cancellationToken);
        var allowedHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < request.Jobs.Count; i++)
        {
            var job = request.Jobs[i];
            if (JobAdmission.Check(job, assets.GetValueOrDefault(new MediaAssetId(job.MediaId)), engines, tenant) is { } refused)
            {
                return refused with { Message = $"jobs[{i}]: {refused.Message}", Field = refused.Field is { } field ? $"jobs[{i}].{field}" : null };
            }

            if (await JobAdmission.CheckWebhookAsync(job.Webhook, tenants, guard, tenant.RequiredTenantId, cancellationToken, allowedHosts) is { } badWebhook)
            {
                return badWebhook with { Message = $"jobs[{i}]: {badWebhook.Message}" };
            }
        }

        if (tenant.Limits.MaxQueuedJobs is { } maxQueued
            && (await usage.GetAsync(tenant.RequiredTenantId, cancellationToken)).QueuedJobs + request.Jobs.Count > maxQueued)
        {
            return TenantErrors.QueueFull(maxQueued);
        }

        var now = time.GetUtcNow();
        var created = new List<Job>(request.Jobs.Count);
        for (var i = 0; i < request.Jobs.Count; i++)
        {
            var withVocabulary = await JobAdmission.WithSavedVocabularyAsync(request.Jobs[i], vocabularies, cancellationToken);
            if (withVocabulary.IsFailure)
            {
                return withVocabulary.Error! with { Message = $"jobs[{i}]: {withVocabulary.Error!.Message}" };
            }

            var submitted = JobAdmission.Create(withVocabulary.Value, now);
            if (submitted.IsFailure)
            {
                return submitted.Error! with { Message = $"jobs[{i}]: {submitted.Error!.Message}" };
            }

            created.Add(submitted.Value);
        }

        var counts = created.GroupBy(j => (j.Kind, j.Options.Engine)).Select(g => (Tags: PlatformTelemetry.JobTags(g.First()), Count: g.Count())).ToList();
        foreach (var job in created)
        {
            jobs.Add(job);
        }

        transaction.OnCommitted(_ =>
        {
            foreach (var (tags, count) in counts)
            {
                PlatformTelemetry.JobsSubmitted.Add(count, tags);
            }

            return Task.CompletedTask;
        });
        return new JobBatchDto([.. created.Select(j => mapper.ToJobDto(j, tenant))]);
    }
}

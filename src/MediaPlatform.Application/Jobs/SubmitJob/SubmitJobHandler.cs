using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Telemetry;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Jobs.SubmitJob;

internal sealed class SubmitJobHandler(
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
    : IRequestHandler<SubmitJobCommand, Result<JobDto>>
{
    public async Task<Result<JobDto>> Handle(SubmitJobCommand request, CancellationToken cancellationToken)
    {
        var asset = request.Kind == JobKind.Transcription && engines.Find(request.Engine) is null
            ? null
            : await media.ReadAsync(new MediaAssetId(request.MediaId), cancellationToken);
        if (JobAdmission.Check(request, asset, engines, tenant) is { } refused)
        {
            return refused;
        }

        if (await JobAdmission.CheckWebhookAsync(request.Webhook, tenants, guard, tenant.RequiredTenantId, cancellationToken) is { } badWebhook)
        {
            return badWebhook;
        }

        if (tenant.Limits.MaxQueuedJobs is { } maxQueued
            && (await usage.GetAsync(tenant.RequiredTenantId, cancellationToken)).QueuedJobs >= maxQueued)
        {
            return TenantErrors.QueueFull(maxQueued);
        }

        var withVocabulary = await JobAdmission.WithSavedVocabularyAsync(request, vocabularies, cancellationToken);
        if (withVocabulary.IsFailure)
        {
            return withVocabulary.Error!;
        }

        var submitted = JobAdmission.Create(withVocabulary.Value, time.GetUtcNow());
        if (submitted.IsFailure)
        {
            return submitted.Error!;
        }

        jobs.Add(submitted.Value);
        var tags = PlatformTelemetry.JobTags(submitted.Value);
        transaction.OnCommitted(_ =>
        {
            PlatformTelemetry.JobsSubmitted.Add(1, tags);
            return Task.CompletedTask;
        });
        return mapper.ToJobDto(submitted.Value, tenant);
    }
}

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
    Common.ITransactionCallbacks transaction)
    : IRequestHandler<SubmitJobCommand, Result<JobDto>>
{
    public async Task<Result<JobDto>> Handle(SubmitJobCommand request, CancellationToken cancellationToken)
    {
        if (request.Kind == JobKind.Transcription && engines.Find(request.Engine) is null)
        {
            return Error.Validation(
                "job.engine_unknown",
                $"There is no transcription engine '{request.Engine}'. Available: {string.Join(", ", engines.Names)}.");
        }

        var mediaId = new MediaAssetId(request.MediaId);
        var asset = await media.ReadAsync(mediaId, cancellationToken);
        if (asset is null)
        {
            return MediaErrors.NotFound(mediaId);
        }

        if (asset.Status == MediaStatus.Rejected)
        {
            return Error.Unprocessable("media.rejected", $"Media '{mediaId}' cannot be processed: {asset.RejectionReason}");
        }

        if (tenant.Limits.MaxMediaSeconds is { } maxSeconds && asset.Duration is { } duration && duration.TotalSeconds > maxSeconds)
        {
            return TenantErrors.MediaTooLong(maxSeconds, duration);
        }

        if (tenant.Limits.MaxQueuedJobs is { } maxQueued
            && (await usage.GetAsync(tenant.RequiredTenantId, cancellationToken)).QueuedJobs >= maxQueued)
        {
            return TenantErrors.QueueFull(maxQueued);
        }

        var options = new JobOptions(request.Language, request.Analyses, request.Engine);
        var submitted = Job.Submit(mediaId, request.Kind, options, request.Priority, time.GetUtcNow());
        if (submitted.IsFailure)
        {
            return submitted.Error!;
        }

        // The worker's spans for this job join the trace of this request.
        submitted.Value.LinkTrace(System.Diagnostics.Activity.Current?.Id);
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

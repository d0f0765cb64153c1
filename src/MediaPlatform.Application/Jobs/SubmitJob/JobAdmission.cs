using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Webhooks;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Jobs.SubmitJob;

/// <summary>What a submission must pass before its job exists, shared by the single and the batch submit.</summary>
internal static class JobAdmission
{
    /// <summary>
    /// The engine is known and transcribes the job's language, the media exists and can be processed, and it is not
    /// longer than the tenant allows.
    /// </summary>
    public static Error? Check(SubmitJobCommand request, MediaAsset? asset, ITranscriptionEngineCatalog engines, ICurrentTenant tenant)
    {
        if (request.Kind == JobKind.Transcription)
        {
            if (engines.Find(request.Engine) is not { } engine)
            {
                return Error.Validation(
                    "job.engine_unknown",
                    $"There is no transcription engine '{request.Engine}'. Available: {string.Join(", ", engines.Names)}.");
            }

            if (request.Language is { } language && !engine.Transcribes(language))
            {
                // The same code a worker would fail the job with: one name for one problem on every surface.
                return Error.Validation(
                    ITranscriptionEngine.LanguageUnsupportedCode,
                    $"The engine '{engine.Name}' cannot transcribe '{language}'. Engines on this service: {string.Join(", ", engines.Names)}; " +
                    "the 'openai' engine (a Whisper-compatible server, set as Transcription__OpenAi__BaseUrl) transcribes most languages.",
                    "language");
            }
        }

        var mediaId = new MediaAssetId(request.MediaId);
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

        return null;
    }

    /// <summary>
    /// A job's own webhook can be signed (the tenant has a job webhook secret) and its address is one the service may
    /// post to (the address guard of every webhook). Null when there is no webhook or it passes.
    /// </summary>
    /// <remarks><paramref name="allowedHosts"/>, when given, remembers the hosts already checked (a batch of jobs to one receiver checks it once).</remarks>
    public static async Task<Error?> CheckWebhookAsync(
        JobWebhookRequest? webhook, ITenantRepository tenants, IWebhookUrlGuard guard, TenantId tenantId, CancellationToken cancellationToken,
        HashSet<string>? allowedHosts = null)
    {
        if (webhook is null)
        {
            return null;
        }

        var checkedWebhook = JobWebhook.Create(webhook.Url, webhook.Headers);
        if (checkedWebhook.IsFailure)
        {
            return checkedWebhook.Error!;
        }

        if ((await tenants.GetAsync(tenantId, cancellationToken))?.JobWebhookSecret is null)
        {
            return Error.Unprocessable(
                "webhook.secret_missing",
                "Jobs' own webhooks are signed with the tenant's job webhook secret, and there is none yet: POST /api/v1/webhooks/job-secret issues it (shown once), then submit again.");
        }

        var url = new Uri(checkedWebhook.Value.Url);
        if (allowedHosts?.Contains(url.Authority) == true)
        {
            return null;
        }

        var allowed = await guard.CheckAsync(url, cancellationToken);
        if (allowed.IsFailure)
        {
            return allowed.Error!;
        }

        allowedHosts?.Add(url.Authority);
        return null;
    }

    /// <summary>The request with a saved vocabulary's terms (vocabularyId) added to its own, copied now.</summary>
    public static async Task<Result<SubmitJobCommand>> WithSavedVocabularyAsync(
        SubmitJobCommand request, Domain.Vocabularies.IVocabularyRepository vocabularies, CancellationToken cancellationToken)
    {
        if (request.VocabularyId is not { } id)
        {
            return request;
        }

        if (await vocabularies.GetAsync(id, cancellationToken) is not { } saved)
        {
            return Vocabularies.VocabularyErrors.NotFound(id);
        }

        var terms = JobOptions.Terms(saved.Terms.Concat(request.Vocabulary ?? []));
        return terms.Count > JobOptions.MaxVocabularyTerms
            ? Error.Validation("job.vocabulary_too_large", $"vocabulary and vocabularyId together give {terms.Count} terms; at most {JobOptions.MaxVocabularyTerms}.")
            : request with { Vocabulary = terms };
    }

    /// <summary>The job, linked to the submitting request's trace.</summary>
    public static Result<Job> Create(SubmitJobCommand request, DateTimeOffset now)
    {
        JobWebhook? webhook = null;
        if (request.Webhook is not null)
        {
            var checkedWebhook = JobWebhook.Create(request.Webhook.Url, request.Webhook.Headers);
            if (checkedWebhook.IsFailure)
            {
                return checkedWebhook.Error!;
            }

            webhook = checkedWebhook.Value;
        }

        var options = new JobOptions(request.Language, request.Analyses, request.Engine, webhook, request.Pii?.ToRedaction(), request.Transcript, request.Speakers?.ToLabels(), request.Vocabulary);
        var submitted = Job.Submit(new MediaAssetId(request.MediaId), request.Kind, options, request.Priority, now);
        if (submitted.IsSuccess)
        {
            // The worker's spans for this job join the trace of this request.
            submitted.Value.LinkTrace(System.Diagnostics.Activity.Current?.Id);
        }

        return submitted;
    }
}

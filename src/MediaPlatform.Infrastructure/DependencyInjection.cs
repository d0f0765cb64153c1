using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.Infrastructure.Analyses;
using MediaPlatform.Infrastructure.Idempotency;
using MediaPlatform.Infrastructure.Media;
using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.Infrastructure.Persistence.Repositories;
using MediaPlatform.Infrastructure.Persistence.Tooling;
using MediaPlatform.Infrastructure.Queue;
using MediaPlatform.Infrastructure.Transcriptions;
using MediaPlatform.Infrastructure.Storage;
using MediaPlatform.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// The connection layer and the repositories: one <see cref="NpgsqlDataSource"/> (the connection pool) built
    /// from validated <see cref="DatabaseOptions"/>, and a pooled <see cref="MediaPlatformDbContext"/> over it.
    /// </summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .Configure(o =>
            {
                // ConnectionStrings:MediaPlatform is the conventional place; Database:ConnectionString wins when both are set.
                if (string.IsNullOrWhiteSpace(o.ConnectionString))
                {
                    o.ConnectionString = configuration.GetConnectionString("MediaPlatform") ?? string.Empty;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new NpgsqlDataSourceBuilder(PersistenceSetup.BuildConnectionString(options)).Build();
        });

        // Pooled contexts, each bound to the tenant of the scope that takes it (the query filters read it).
        services.AddPooledDbContextFactory<MediaPlatformDbContext>(
            (sp, builder) =>
            {
                var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                PersistenceSetup.Configure(builder, sp.GetRequiredService<NpgsqlDataSource>(), options);
                builder.AddInterceptors(sp.GetRequiredService<Webhooks.WebhookOutbox>(), sp.GetRequiredService<JobSnapshotInvalidation>());
            },
            poolSize: configuration.GetSection(DatabaseOptions.SectionName).GetValue(nameof(DatabaseOptions.DbContextPoolSize), 256));
        services.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<MediaPlatformDbContext>>().CreateDbContext();
            db.TenantScope = sp.GetRequiredService<TenantContext>();
            return db;
        });

        services.TryAddScoped<TenantContext>();
        // Not the context under other names: a scope disposes what each registration's factory returns (ContextPoolTests).
        services.AddScoped<UnitOfWork>();
        services.AddScoped<IUnitOfWork>(sp => sp.GetRequiredService<UnitOfWork>());
        services.AddScoped<IDomainEventSource>(sp => sp.GetRequiredService<UnitOfWork>());
        services.AddScoped<IJobRepository, JobRepository>();
        services.AddScoped<IMediaAssetRepository, MediaAssetRepository>();
        services.AddScoped<ITranscriptionRepository, TranscriptionRepository>();
        services.AddScoped<Application.Transcriptions.SearchTranscripts.ITranscriptSearch, Search.PostgresTranscriptSearch>();
        services.AddScoped<IAnalysisResultRepository, AnalysisResultRepository>();
        services.AddScoped<Domain.Vocabularies.IVocabularyRepository, VocabularyRepository>();
        services.AddScoped<ITenantRepository, TenantRepository>();
        services.AddScoped<IApiKeyRepository, ApiKeyRepository>();
        services.AddSingleton<Webhooks.WebhookOutbox>();
        services.AddScoped<Domain.Webhooks.IWebhookSubscriptionRepository, WebhookSubscriptionRepository>();
        services.AddSingleton<Application.Webhooks.IWebhookDeliveries, Webhooks.WebhookDeliveries>();
        services.AddOptions<Webhooks.WebhookOptions>().Bind(configuration.GetSection(Webhooks.WebhookOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Application.Webhooks.IWebhookUrlGuard>(sp => new Webhooks.WebhookUrlGuard(
            new UrlGuard(Options.Create(new MediaOptions { AllowPrivateUrls = sp.GetRequiredService<IOptions<Webhooks.WebhookOptions>>().Value.AllowPrivateUrls }))));
        services.AddHttpClient(Webhooks.WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IApiKeyAuthenticator, ApiKeyAuthenticator>();
        services.AddSingleton<ITenantUsage, PostgresTenantUsage>();
        services.AddSingleton<ITenantEraser, TenantEraser>();
        services.AddSingleton<RetentionSweeper>();
        services.AddSingleton<LeftoverSweeper>();
        services.AddScoped<ApiKeyBootstrapper>();

        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        AddBlobStore(services);
        services.AddSingleton<IUrlGuard, UrlGuard>();
        services.AddSingleton(sp =>
        {
            var media = sp.GetRequiredService<IOptions<MediaOptions>>().Value;
            return new MediaLimits(media.MaxUploadBytes, media.MaxMediaSeconds);
        });

        services.AddSingleton<IIdempotencyStore, PostgresIdempotencyStore>();
        AddProcessing(services, configuration);
        services.AddSingleton<DatabaseConnectivity>();
        services.AddSingleton(TimeProvider.System);
        services.AddTransient<DatabaseTool>();
        return services;
    }

    /// <summary>
    /// The workers: <see cref="QueueOptions.WorkerCount"/> job loops and the lease reaper. The API-only role leaves them
    /// out; every role listens for job events (the API streams them to clients).
    /// </summary>
    public static IServiceCollection AddWorkers(this IServiceCollection services)
    {
        services.AddSingleton<LeaseClock>();
        services.AddHostedService<LeaseClockService>();
        // Before the loops: it starts before them and, as hosts stop services in reverse, stops after them.
        services.AddHostedService<WorkerPresenceService>();
        services.AddHostedService<JobWorkerService>();
        services.AddHostedService<PartWorkerService>();
        services.AddSingleton<Webhooks.WebhookDispatcher>();
        services.AddHostedService<Webhooks.WebhookDispatcherService>();
        services.AddHostedService<LeaseReaperService>();
        services.AddHostedService<RetentionSweeperService>();
        services.AddHostedService<LeftoverSweeperService>();
        return services;
    }

    /// <summary>
    /// <c>Storage:Provider</c>: the file system (default) or an S3-compatible store, chosen when the store is first
    /// needed (configuration is complete then; hosts and tests may add sources after services are registered).
    /// </summary>
    private static void AddBlobStore(IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().Validate(o => !o.UsesS3 || !string.IsNullOrWhiteSpace(o.S3.Bucket), "Storage:S3:Bucket must be set when Storage:Provider is s3.");
        services.AddSingleton<IBlobStoreMaintenance>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>();
            return options.Value.UsesS3
                ? new S3BlobStore(S3Clients.Create(options.Value.S3), options, sp.GetRequiredService<TimeProvider>())
                : new FileSystemBlobStore(options, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IBlobStore>(sp => sp.GetRequiredService<IBlobStoreMaintenance>());
    }

    private static void AddProcessing(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProcessingOptions>().Bind(configuration.GetSection(ProcessingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TranscriptionOptions>().Bind(configuration.GetSection(TranscriptionOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QueueOptions>().Bind(configuration.GetSection(QueueOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<IMediaProbe, FfprobeMediaProbe>();
        services.AddSingleton<IAudioExtractor, FfmpegAudioExtractor>();
        services.AddSingleton<IMediaFiles, LocalMediaFiles>();
        services.AddSingleton<IMediaFetcher, HttpMediaFetcher>();

        services.AddSingleton<PocketSphinxDecoderPool>();
        services.AddSingleton<EspeakPronouncer>();
        services.AddSingleton<ITranscriptionEngine, PocketSphinxEngine>();
        // Offered only when Transcription:OpenAi:BaseUrl is set (the catalog asks IsAvailable at run time).
        services.AddHttpClient<OpenAiCompatibleEngine>(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<ITranscriptionEngine>(sp => sp.GetRequiredService<OpenAiCompatibleEngine>());

        services.AddSingleton<ITranscriptionEngineCatalog, TranscriptionEngineCatalog>();
        services.AddSingleton<Application.Transcriptions.Redaction.IPiiRedactor, Redaction.PiiRedactor>();
        services.AddSingleton<IAudioRedactionRenderer, Redaction.FfmpegAudioRedactionRenderer>();
        // The offline diarizer, or an operator's diarization server when Diarization:Url is set.
        services.AddOptions<Diarization.DiarizationOptions>().Bind(configuration.GetSection(Diarization.DiarizationOptions.SectionName));
        services.AddSingleton<Diarization.MfccDiarizer>();
        services.AddHttpClient<Diarization.HttpDiarizer>(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<IDiarizer>(sp => string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<Diarization.DiarizationOptions>>().Value.Url)
            ? sp.GetRequiredService<Diarization.MfccDiarizer>()
            : sp.GetRequiredService<Diarization.HttpDiarizer>());
        services.AddSingleton<IAudioChunker, WavChunker>();
        services.AddSingleton(sp =>
        {
            var transcription = sp.GetRequiredService<IOptions<TranscriptionOptions>>().Value;
            var parallel = transcription.MaxParallelChunks > 0 ? transcription.MaxParallelChunks : Environment.ProcessorCount;
            return new ChunkingSettings(
                transcription.ChunkSeconds, parallel, transcription.LeadInSeconds, transcription.QueueParts, transcription.QueuedChunkSeconds, transcription.PartsPerRun);
        });
        services.AddSingleton<IJobPartQueue, JobPartQueue>();
        services.AddSingleton<IQueueStatistics, QueueStatistics>();
        services.AddHostedService<QueueGauges>();
        services.AddSingleton<IAnalyzer, KeywordsAnalyzer>();
        services.AddSingleton<IAnalyzer, SummaryAnalyzer>();
        services.AddSingleton<IAnalyzer, SentimentAnalyzer>();
        services.AddSingleton<IAnalyzer, SpeechStatisticsAnalyzer>();

        services.AddSingleton<JobEventHub>();
        services.AddSingleton<JobSnapshots>();
        services.AddSingleton<JobSnapshotInvalidation>();
        services.AddHostedService<JobEventListener>();
    }
}

using Mapster;
using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Application.Jobs;

/// <summary>Mapster configuration of the Jobs module.</summary>
public sealed class JobMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        // An immutable record built by the mapping below; reuse it as it is.
        config.NewConfig<JobErrorDto, JobErrorDto>().MapWith(s => s);
        config.NewConfig<Job, JobDto>()
            .Map(d => d.Id, s => s.Id.Value)
            .Map(d => d.MediaId, s => s.MediaAssetId.Value)
            .Map(d => d.Language, s => s.Options.Language)
            .Map(d => d.Analyses, s => s.Options.Analyses)
            .Map(d => d.Engine, s => s.Options.Engine)
            .Map(d => d.Error, s => s.ErrorCode == null ? null : new JobErrorDto(s.ErrorCode, s.ErrorMessage ?? string.Empty))
            .Ignore(d => d.ExpiresAt) // the tenant's retention: see RetentionMapping
            .Ignore(d => d.QueuePosition); // read on its own by GetJobHandler
    }
}

using MediaPlatform.Domain.Jobs;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MediaPlatform.Infrastructure.Persistence.Converters;

/// <summary>Stores a <see cref="JobId"/> as its uuid.</summary>
internal sealed class JobIdConverter() : ValueConverter<JobId, Guid>(v => v.Value, v => new JobId(v));

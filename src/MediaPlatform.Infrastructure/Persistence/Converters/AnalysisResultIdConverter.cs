using MediaPlatform.Domain.Analyses;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MediaPlatform.Infrastructure.Persistence.Converters;

/// <summary>Stores a <see cref="AnalysisResultId"/> as its uuid.</summary>
internal sealed class AnalysisResultIdConverter() : ValueConverter<AnalysisResultId, Guid>(v => v.Value, v => new AnalysisResultId(v));

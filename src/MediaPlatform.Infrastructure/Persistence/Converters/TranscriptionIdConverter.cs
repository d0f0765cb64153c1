using MediaPlatform.Domain.Transcriptions;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MediaPlatform.Infrastructure.Persistence.Converters;

/// <summary>Stores a <see cref="TranscriptionId"/> as its uuid.</summary>
internal sealed class TranscriptionIdConverter() : ValueConverter<TranscriptionId, Guid>(v => v.Value, v => new TranscriptionId(v));

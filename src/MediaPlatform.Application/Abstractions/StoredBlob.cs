namespace MediaPlatform.Application.Abstractions;

/// <summary>A blob that was written completely: its key, length and lower-case hex SHA-256.</summary>
public sealed record StoredBlob(string Key, long SizeBytes, string Sha256);

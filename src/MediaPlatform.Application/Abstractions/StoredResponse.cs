namespace MediaPlatform.Application.Abstractions;

/// <summary>A response kept for replay.</summary>
public sealed record StoredResponse(int StatusCode, string? ContentType, string? Location, byte[] Body);

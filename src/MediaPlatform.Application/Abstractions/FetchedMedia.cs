namespace MediaPlatform.Application.Abstractions;

/// <summary>URL media now in the blob store, with the content type the server declared.</summary>
public sealed record FetchedMedia(StoredBlob Blob, string ContentType);

namespace MediaPlatform.Domain.Media;

/// <summary>Identity of a <see cref="MediaAsset"/> (UUIDv7).</summary>
public readonly record struct MediaAssetId(Guid Value)
{
    public static MediaAssetId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString();
}

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>Processing tests run one class at a time: each decodes real audio, and the machine has two cores.</summary>
[CollectionDefinition(Name)]
public sealed class ProcessingCollection
{
    public const string Name = "processing";
}

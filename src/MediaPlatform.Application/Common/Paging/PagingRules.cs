namespace MediaPlatform.Application.Common.Paging;

/// <summary>Page sizes every list shares.</summary>
public static class PagingRules
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
}

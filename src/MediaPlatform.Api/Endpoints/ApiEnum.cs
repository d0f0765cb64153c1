namespace MediaPlatform.Api.Endpoints;

/// <summary>
/// An enum bound from the query string the way clients write it in JSON: <c>speechStatistics</c>, <c>SpeechStatistics</c>
/// or <c>speech_statistics</c>. Numbers are refused, so clients cannot depend on the declaration order.
/// </summary>
internal readonly record struct ApiEnum<TEnum>(TEnum Value)
    where TEnum : struct, Enum
{
    public static bool TryParse(string? value, IFormatProvider? provider, out ApiEnum<TEnum> result)
    {
        result = default;
        if (string.IsNullOrWhiteSpace(value) || char.IsDigit(value[0]) || value[0] == '-')
        {
            return false;
        }

        var normalized = value.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (!Enum.TryParse<TEnum>(normalized, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            return false;
        }

        result = new ApiEnum<TEnum>(parsed);
        return true;
    }
}

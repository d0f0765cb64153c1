using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MediaPlatform.Infrastructure.Persistence.Converters;

/// <summary>Stores an enum as its snake_case name (<c>SpeechStatistics</c> -> <c>speech_statistics</c>), the form the check constraints list.</summary>
internal sealed class SnakeCaseEnumConverter<TEnum>()
    : ValueConverter<TEnum, string>(v => ToName(v), v => FromName(v))
    where TEnum : struct, Enum
{
    private static readonly Dictionary<TEnum, string> _names =
        Enum.GetValues<TEnum>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

    private static readonly Dictionary<string, TEnum> _values = _names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>SQL for a check constraint that admits exactly the enum's names.</summary>
    public static string CheckSql(string column) =>
        $"{column} IN ({string.Join(", ", _names.Values.Select(n => $"'{n}'"))})";

    public static string ToName(TEnum value) => _names[value];

    private static TEnum FromName(string name) =>
        _values.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException($"'{name}' is not a stored {typeof(TEnum).Name}.");
}

using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;

namespace MediaPlatform.Api.Errors;

/// <summary>
/// Says what a request body or parameter the framework could not bind should have been, in the API's terms: the
/// member's JSON path and what it accepts (an enum's values, a UUID, a whole number...), or the member a body does not
/// have with the ones it does. The framework's own messages name .NET types
/// (<c>could not be converted to MediaPlatform.Api.Endpoints.JobEndpoints+SubmitJobRequest</c>), which tell a client
/// nothing. What is expected is read from the endpoint's own declaration (its body type and parameters), so it stays
/// right as requests change.
/// </summary>
internal static partial class BindingErrors
{
    /// <summary>A JSON body that failed to bind: what is wrong, and where.</summary>
    public static string Describe(HttpContext context, JsonException exception)
    {
        var body = BodyTypeOf(context);
        var unmapped = UnmappedMember().Match(exception.Message);
        if (unmapped.Success)
        {
            var name = unmapped.Groups["name"].Value;
            var path = exception.Path is { } p && p.EndsWith(name, StringComparison.Ordinal) ? p[..^name.Length].TrimEnd('.') : exception.Path ?? "$";
            var owner = body is null ? null : TypeAt(body, path);
            var known = owner is null ? [] : MembersOf(owner);
            return known.Count == 0
                ? $"The body has a member '{name}' that this request does not take."
                : $"The body has a member '{name}'{Where(path)} that this request does not take; it takes {string.Join(", ", known)}.";
        }

        var converting = exception.Message.Contains("could not be converted", StringComparison.Ordinal);
        if (converting && exception.Path is null or "$")
        {
            // The body as a whole has the wrong shape (an array, a string, a number).
            var members = body is null ? [] : MembersOf(body);
            return members.Count == 0 ? "The body has the wrong shape for this request." : $"The body must be a JSON object with its members: {string.Join(", ", members)}.";
        }

        if (converting && exception.Path is { Length: > 1 } at)
        {
            var expected = body is null ? null : TypeAt(body, at) is { } type ? Expected(type) : null;
            return expected is null
                ? $"The body's value at '{Member(at)}' has the wrong type."
                : $"The body's '{Member(at)}' must be {expected}.";
        }

        // Not JSON at all, or cut short: the parser's account (positions, the character it stopped at) is what helps.
        return $"The body is not valid JSON: {FirstSentence(exception.Message)}{(exception.Path is { Length: > 1 } where ? $" (at '{Member(where)}')" : "")}";
    }

    /// <summary>A request that needs a JSON body and came without one (or with <c>null</c>).</summary>
    public static string DescribeMissingBody(HttpContext context)
    {
        var body = BodyTypeOf(context);
        var members = body is null ? [] : MembersOf(body);
        return members.Count == 0
            ? "This request needs a JSON body (Content-Type: application/json)."
            : $"This request needs a JSON object body (Content-Type: application/json) with its members: {string.Join(", ", members)}.";
    }

    /// <summary>A query or route parameter the framework could not bind from <paramref name="value"/>.</summary>
    public static string DescribeParameter(HttpContext context, string name, string value)
    {
        var parameter = EndpointOf(context)?.Metadata.OfType<MethodInfo>().FirstOrDefault()?.GetParameters()
            .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        var expected = parameter is null ? null : Expected(parameter.ParameterType);
        return expected is null
            ? $"The parameter '{name}' cannot be '{value}'. See /openapi/v1.json for the accepted values."
            : $"The parameter '{name}' cannot be '{value}': it must be {expected}.";
    }

    /// <summary>Where an endpoint that reads its own JSON body names the type it reads (see <see cref="ReadingBodyAs"/>).</summary>
    private static readonly object BodyTypeKey = new();

    /// <summary>Says, for an endpoint that reads its body itself, what type it reads, so a failure can be described.</summary>
    public static void ReadingBodyAs<T>(HttpContext context) => context.Items[BodyTypeKey] = typeof(T);

    private static Type? BodyTypeOf(HttpContext context) =>
        context.Items.TryGetValue(BodyTypeKey, out var type) && type is Type named
            ? named
            : EndpointOf(context)?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;

    /// <summary>The endpoint that failed: the exception handler runs with the request's endpoint cleared, and keeps it in its feature.</summary>
    private static Endpoint? EndpointOf(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();

    /// <summary>The type found at a JSON path (<c>$.limits.requestsPerMinute</c>, <c>$.analyses[0]</c>) of <paramref name="root"/>.</summary>
    internal static Type? TypeAt(Type root, string path)
    {
        var type = root;
        foreach (Match segment in PathSegment().Matches(path))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (segment.Groups["index"].Success)
            {
                type = ElementOf(type);
            }
            else
            {
                var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
                type = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType;
            }

            if (type is null)
            {
                return null;
            }
        }

        return type;
    }

    /// <summary>What a value of <paramref name="type"/> is, in JSON terms; null for an object.</summary>
    internal static string? Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Endpoints.ApiEnum<>))
        {
            type = type.GetGenericArguments()[0];
        }

        if (type.IsEnum)
        {
            return $"one of {string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName))}";
        }

        return type switch
        {
            _ when type == typeof(Guid) => "a UUID, such as 0193d1e4-5a8b-7c2d-9e3f-4a5b6c7d8e9f",
            _ when type == typeof(int) => $"a whole number up to {int.MaxValue}",
            _ when type == typeof(long) || type == typeof(short) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date and time in ISO 8601, such as 2027-01-01T00:00:00Z",
            _ when type == typeof(string) => "a string",
            _ when ElementOf(type) is { } element => Expected(element) is { } each ? $"a list, each {each}" : "a list",
            _ => null,
        };
    }

    private static List<string> MembersOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type.IsPrimitive || type.IsEnum || ElementOf(type) is not null
            ? []
            : [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite && p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null)
                .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))];
    }

    private static Type? ElementOf(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return typeof(IEnumerable).IsAssignableFrom(type)
            ? type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0]
            : null;
    }

    private static string Member(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string Where(string path) => path is "$" or "" ? "" : $" in '{Member(path)}'";

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex("\\.(?<name>[A-Za-z_][\\w]*)|\\['(?<quoted>[^']*)'\\]|\\[(?<index>\\d+)\\]")]
    private static partial Regex PathSegment();

    [GeneratedRegex("^The JSON property '(?<name>.*?)' could not be mapped")]
    private static partial Regex UnmappedMember();
}

using System.Text.RegularExpressions;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Domain.Webhooks;

/// <summary>
/// Custom request headers sent with every delivery (an <c>Authorization</c> the receiver expects, a routing key):
/// at most <see cref="MaxCount"/>, names that are HTTP tokens, values of printable text without line breaks, and
/// none of the headers the delivery itself sets (the Standard Webhooks headers, the body's, the connection's).
/// </summary>
public static partial class WebhookHeaders
{
    public const int MaxCount = 10;
    public const int MaxNameLength = 64;
    public const int MaxValueLength = 1024;

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "content-type", "content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive",
        "upgrade", "te", "trailer", "expect", "user-agent", "proxy-authorization", "proxy-connection", "cookie",
    };

    /// <summary>The headers, checked; an empty map for none.</summary>
    public static Result<IReadOnlyDictionary<string, string>> Check(IReadOnlyDictionary<string, string>? headers)
    {
        if (headers is null || headers.Count == 0)
        {
            return Result.Success<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
        }

        if (headers.Count > MaxCount)
        {
            return Error.Validation("webhook.headers_invalid", $"headers holds at most {MaxCount} headers.");
        }

        var checkedHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (name.Length is 0 or > MaxNameLength || !Token().IsMatch(name))
            {
                return Error.Validation("webhook.headers_invalid", $"'{Shorten(name)}' is not a header name (letters, digits and !#$%&'*+-.^_`|~, at most {MaxNameLength}).");
            }

            if (Reserved.Contains(name) || name.StartsWith("webhook-", StringComparison.OrdinalIgnoreCase))
            {
                return Error.Validation("webhook.headers_invalid", $"'{name}' is set by the delivery itself and cannot be replaced.");
            }

            if (value is null || value.Length > MaxValueLength || value.Any(c => c is not ('\t' or (>= ' ' and <= '~'))))
            {
                return Error.Validation("webhook.headers_invalid", $"The value of '{name}' must be printable ASCII of at most {MaxValueLength} characters, without line breaks.");
            }

            if (!checkedHeaders.TryAdd(name, value))
            {
                return Error.Validation("webhook.headers_invalid", $"'{name}' is given twice.");
            }
        }

        return Result.Success<IReadOnlyDictionary<string, string>>(checkedHeaders);
    }

    private static string Shorten(string name) => name.Length > MaxNameLength ? name[..MaxNameLength] + "..." : name;

    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")]
    private static partial Regex Token();
}

using System.Net.Http.Headers;
using System.Text;

namespace MediaPlatform.Api.Tests.Hostile;

/// <summary>
/// A seeded generator of requests every endpoint must refuse cleanly: malformed and truncated JSON, wrong types,
/// huge strings and bodies, unicode and control characters, path-traversal file names, SSRF URLs, bad cursors, bad
/// ids and wrong content types. Every request it makes is invalid, so nothing may be stored by any of them.
/// </summary>
public sealed class HostileRequests(int seed)
{
    private static readonly string[] _badIds = ["not-a-guid", "1", "-1", "00000000", "%00", "..%2F..%2Fetc%2Fpasswd", "' OR 1=1 --", new string('f', 300), "{{id}}", "😀", "0x1F"];
    private static readonly string[] _badCursors = ["x", "AAAA", "////", "%FF%FE", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", new string('A', 5000), "eyJpZCI6MX0", "null", "-_-_-_"];
    private static readonly string[] _ssrfUrls =
    [
        "http://127.0.0.1/a.mp3", "http://localhost/a.mp3", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
        "http://10.0.0.5/a.mp3", "http://172.16.3.4/", "http://192.168.0.1/", "http://0.0.0.0:8080/", "http://[::ffff:127.0.0.1]/",
        "http://100.64.1.1/", "http://[fe80::1]/", "http://[fd00::1]/", "http://2130706433/", "http://0x7f000001/",
        "file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "ftp://example.org/a.mp3", "javascript:alert(1)",
        "http://user:pass@93.184.216.34/a.mp3", "//93.184.216.34/a.mp3", "http://", "http:///a.mp3", "",
    ];

    // Not a tenant name: empty, too long, control characters, or not a string at all.
    private static readonly string[] _badNames = ["\"\"", "\"   \"", "\"" + new string('n', 101) + "\"", "\"a\\u0000b\"", "\"tab\\there\"", "1", "[\"x\"]", "{\"x\":1}", "null", "true"];

    private static readonly string[] _fileNames = ["../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/shadow", "a%00b.wav", "CON", new string('a', 2000) + ".wav", "\u202Egnp.wav", ".."];
    private static readonly string[] _jsonFragments =
    [
        "{", "}", "[", "{\"mediaId\":", "{\"mediaId\":\"", "null", "true", "42", "\"str\"", "[]", "{}{}", "{\"a\":1,}", "{'mediaId':'x'}",
        "{\"mediaId\":\"0195f0e4-0000-7000-8000-000000000001\",\"priority\":", "\u0000", "\uFEFF{", "{\"mediaId\":NaN}",
    ];

    private readonly Random _random = new(seed);

    public HttpRequestMessage Next()
    {
        var pick = _random.Next(16);
        return pick switch
        {
            0 => Json(HttpMethod.Post, "/api/v1/jobs", Pick(_jsonFragments)),
            1 => Json(HttpMethod.Post, "/api/v1/jobs", $$"""{"mediaId":{{Pick(["1", "true", "[]", "{}", "\"x\"", "null", "\"" + Guid.Empty + "\""])}}}"""),
            2 => Json(HttpMethod.Post, "/api/v1/jobs", $$"""{"mediaId":"{{Guid.CreateVersion7()}}","{{Pick(["kind", "priority", "analyses", "language", "engine"])}}":{{Pick(BadValues())}}}"""),
            3 => Json(HttpMethod.Post, "/api/v1/media", $$"""{"url":{{Quote(Pick(_ssrfUrls))}}}"""),
            4 => Json(HttpMethod.Post, "/api/v1/media", Pick(_jsonFragments)),
            5 => Upload(),
            6 => new HttpRequestMessage(HttpMethod.Post, "/api/v1/media") { Content = new StringContent(RandomText(200), Encoding.UTF8, Pick(["text/plain", "application/xml", "image/png", "application/x-www-form-urlencoded"])) },
            7 => new HttpRequestMessage(Pick([HttpMethod.Get, HttpMethod.Delete]), $"/api/v1/{Pick(["jobs", "media", "transcriptions"])}/{Uri.EscapeDataString(Pick(_badIds))}"),
            8 => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/jobs/{Uri.EscapeDataString(Pick(_badIds))}/{Pick(["cancel", "retry"])}"),
            9 => _random.Next(2) == 0
                ? new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs?{Pick(["cursor", "limit", "status", "kind", "mediaId", "createdAfter", "createdBefore"])}={Uri.EscapeDataString(Pick(BadQueryValues()))}")
                : new HttpRequestMessage(HttpMethod.Get, $"/api/v1/media?{Pick(["cursor", "limit", "status"])}={Uri.EscapeDataString(Pick(BadQueryValues()))}"),
            10 => Json(HttpMethod.Post, "/api/v1/jobs", "{\"language\":\"" + new string('a', 2_000_000) + "\"}"),
            11 => Json(HttpMethod.Post, "/api/v1/jobs", new string('[', 5000) + new string(']', 5000)),
            12 => new HttpRequestMessage(Pick([HttpMethod.Put, HttpMethod.Patch]), Pick(["/api/v1/jobs", "/api/v1/media", $"/api/v1/jobs/{Guid.CreateVersion7()}"])) { Content = new StringContent("{}", Encoding.UTF8, "application/json") },
            13 => _random.Next(3) switch
            {
                0 => Json(HttpMethod.Post, "/api/v1/tenants", Pick([.. _jsonFragments, "{\"name\":" + Pick(_badNames) + "}", "{\"name\":\"x\",\"limits\":{\"maxQueuedJobs\":" + Pick(BadValues()) + "}}"])),
                1 => Json(HttpMethod.Patch, $"/api/v1/tenants/{Guid.CreateVersion7()}", Pick(_jsonFragments)),
                _ => Json(HttpMethod.Post, $"/api/v1/tenants/{Uri.EscapeDataString(Pick(_badIds))}/keys", "{\"name\":\"k\",\"scopes\":" + Pick(BadValues()) + "}"),
            },
            14 => WithAuthorization(Json(HttpMethod.Post, "/api/v1/tenants", "{\"name\":\"would-be-created\"}")),
            _ => WithKey(Json(HttpMethod.Post, "/api/v1/jobs", "{}")),
        };
    }

    private HttpRequestMessage Upload()
    {
        var form = new MultipartFormDataContent();
        var bytes = new byte[_random.Next(1, 2000)];
        _random.NextBytes(bytes);
        var file = new ByteArrayContent(bytes);
        // Every upload here is refused by its type; the file name tries its best to escape the store.
        file.Headers.ContentType = new MediaTypeHeaderValue(Pick(["text/html", "application/x-sh", "image/svg+xml", "text/plain"]));
        // Written by hand: HttpClient would quote or refuse the very names a hostile client sends.
        file.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{Pick(["file", "upload", "../file"])}\"; filename=\"{Pick(_fileNames)}\"");
        form.Add(file);
        return new HttpRequestMessage(HttpMethod.Post, "/api/v1/media") { Content = form };
    }

    private HttpRequestMessage WithKey(HttpRequestMessage request)
    {
        // Header values must be ASCII; the key is too long or empty, or the body invalid.
        request.Headers.TryAddWithoutValidation("Idempotency-Key", Pick([new string('k', 256), string.Empty, new string('k', 10_000)]));
        return request;
    }

    /// <summary>A valid admin request sent with a hostile credential instead of the client's key: it must be 401 and create nothing.</summary>
    private HttpRequestMessage WithAuthorization(HttpRequestMessage request)
    {
        var key = "mp_live_" + new string('a', 43);
        request.Headers.TryAddWithoutValidation("Authorization", Pick(new[]
        {
            "Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Bearer " + key, "Bearer " + key[..^1], "Bearer " + key + "a", "bearer  " + RandomText(50),
            "Bearer " + new string('A', 100_000), "Bearer mp_live_" + RandomText(43), "Bearer\t" + key, "Bearer " + key + ", Bearer " + key, "Digest x", "Bearer %00",
        }));
        return request;
    }

    // Each is invalid for every parameter it is given to (a limit of 0, a status of "-5", a date of "queued'", ...).
    private string[] BadQueryValues() => [.. _badCursors, "0", "-5", "99999999999", "1e9", "queued'", "2026-13-45", "\u0000" + RandomText(30)];

    private string[] BadValues() =>
        ["\"bogus\"", "-1000", "1e400", "99999999999999999999", "\"" + RandomText(40) + "\"", "[1,2]", "{\"x\":1}", "[\"nope\"]", "\"" + new string('x', 5000) + "\"", "\"\\u0000\\u0007\"", "\"en US\"", "\"../../etc\""];

    private string RandomText(int length)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            builder.Append(_random.Next(4) switch
            {
                0 => (char)_random.Next(0x20, 0x7F),
                1 => (char)_random.Next(0x00, 0x20),
                2 => (char)_random.Next(0x400, 0x4FF),
                _ => "😀€\u202E\uFFFF"[_random.Next(5) % 4],
            });
        }

        return builder.ToString().Replace("\"", "'", StringComparison.Ordinal).Replace("\\", "/", StringComparison.Ordinal);
    }

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static HttpRequestMessage Json(HttpMethod method, string url, string body) =>
        new(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}

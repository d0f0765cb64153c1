using System.Net.Http.Headers;
using System.Text;
using MediaPlatform.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Api.Tests.Hostile;

/// <summary>
/// Generated, seeded bodies with unusual content types, charsets and multipart framing, thousands per run, sent to
/// the two endpoints that read bodies themselves or through binding. Every answer must be a 4xx problem+json and
/// nothing may be stored. Raise MEDIAPLATFORM_FRAMING_REQUESTS for a longer run; a failure prints its seed.
/// </summary>
public sealed class BodyFramingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly int _count = int.TryParse(Environment.GetEnvironmentVariable("MEDIAPLATFORM_FRAMING_REQUESTS"), out var n) ? n : 2000;

    private static readonly string[] _mediaTypes =
    [
        "application/json", "text/json", "application/problem+json", "application/vnd.api+json", "application/json-patch+json",
        "multipart/form-data", "multipart/mixed", "multipart/related", "multipart/form-data; boundary=", "application/x-www-form-urlencoded",
        "text/plain", "application/octet-stream", "audio/wav", "*/*", "application/*", "json", ";", "", "multipart/", "application/json; foo",
    ];

    private static readonly string[] _charsets = ["utf-8", "UTF-16", "utf-16le", "utf-32", "latin1", "iso-8859-1", "us-ascii", "bogus", "\"utf-8\"", "", "utf-7", "binary", "x-unknown-\u00e9", "unicode-1-1-utf-7", "csUnicode11UTF7"];

    [Fact]
    public async Task Thousands_of_unusual_bodies_get_4xx_problem_json_and_store_nothing()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var client = factory.CreateClient();
        var failures = new List<string>();
        for (var i = 0; i < _count; i++)
        {
            var (request, description) = Next(random);
            using (request)
            {
                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                if (status is < 400 or >= 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{status} {response.Content.Headers.ContentType?.MediaType} for {description}: {Truncate(await response.Content.ReadAsStringAsync())}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} bad answers, e.g.\n{string.Join('\n', failures.Distinct().Take(10))}");
        await using var db = factory.CreateDbContext();
        Assert.Equal(0, await db.MediaAssets.CountAsync());
        Assert.Equal(0, await db.Jobs.CountAsync());
    }

    private static (HttpRequestMessage Request, string Description) Next(Random random)
    {
        var path = random.Next(2) == 0 ? "/api/v1/media" : "/api/v1/jobs";
        var mediaType = Pick(random, _mediaTypes);
        var contentType = random.Next(3) switch
        {
            0 => mediaType,
            1 => $"{mediaType}; charset={Pick(random, _charsets)}",
            _ => $"{mediaType}; boundary={Pick(random, Boundaries(random))}{(random.Next(2) == 0 ? "; charset=" + Pick(random, _charsets) : string.Empty)}",
        };
        var body = random.Next(8) switch
        {
            0 => Encoding.UTF8.GetBytes("{\"url\":\"https://example.invalid/a.mp3\",\"mediaId\":\"" + Guid.CreateVersion7() + "\"}"),
            1 => Encoding.Unicode.GetBytes("{\"mediaId\":\"" + Guid.CreateVersion7() + "\"}"),
            2 => Encoding.UTF32.GetBytes("{\"url\":\"http://10.0.0.1/x\"}"),
            3 => RandomBytes(random),
            4 => Encoding.UTF8.GetBytes(Multipart(random, complete: false)),
            5 => Encoding.UTF8.GetBytes(Multipart(random, complete: true)),
            6 => [],
            _ => Encoding.Latin1.GetBytes("{\"url\":\"\u00e9\u00ff\"}"),
        };
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return (new HttpRequestMessage(HttpMethod.Post, path) { Content = content }, $"POST {path} [{contentType}] {body.Length} bytes");
    }

    private static string[] Boundaries(Random random) =>
        ["b", "\"quoted\"", "\"\"", new string('x', 71), new string('x', 200), "with space", "--", "a;b", "é", "\"unterminated", random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)];

    /// <summary>Multipart text with a boundary that may or may not match the header's, parts that are not files, odd headers.</summary>
    private static string Multipart(Random random, bool complete)
    {
        var boundary = Pick(random, new[] { "b", "quoted", "xx", "zz" });
        var parts = new StringBuilder();
        for (var p = 0; p < random.Next(0, 3); p++)
        {
            parts.Append("--").Append(boundary).Append("\r\n");
            parts.Append(Pick(random, new[]
            {
                "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n",
                "Content-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n",
                "Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%E2%82%AC%ZZ.wav\r\nContent-Type: image/png\r\n\r\nxx\r\n",
                "Content-Type: text/plain\r\n\r\nno disposition\r\n",
                "Content-Disposition: attachment; filename=\"\r\n\r\n\r\n",
                "X-Header-Without-Colon\r\n\r\nbody\r\n",
                "Content-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n--inner\r\n\r\n--inner--\r\n",
            }));
        }

        if (complete)
        {
            parts.Append("--").Append(boundary).Append("--\r\n");
        }

        return parts.ToString();
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 600)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Truncate(string text) => text.Length > 200 ? text[..200] + "..." : text;
}

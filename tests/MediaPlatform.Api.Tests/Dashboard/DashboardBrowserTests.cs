using System.Globalization;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Media;
using Microsoft.Playwright;

namespace MediaPlatform.Api.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (Debian's chromium through Playwright) against the real service and its workers:
/// found by label as a person (or a screen reader) finds it, on a real recording, watching every request it makes and
/// every console message it writes.
/// </summary>
[Collection(ProcessingCollection.Name)]
public sealed class DashboardBrowserTests(DashboardFactory factory) : IClassFixture<DashboardFactory>, IAsyncLifetime
{
    private readonly List<string> _requests = [];
    private readonly List<string> _consoleErrors = [];
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _context = await factory.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = factory.BaseAddress.ToString(),
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        _page = await _context.NewPageAsync();
        _page.Request += (_, request) => _requests.Add(request.Url);
        _page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Add(message.Text);
            }
        };
        _page.PageError += (_, error) => _consoleErrors.Add(error);
    }

    public async Task DisposeAsync() => await _context.CloseAsync();

    [Fact]
    public async Task A_recording_uploaded_in_the_page_is_transcribed_live_and_its_words_seek_the_player()
    {
        var (recording, _) = SpeechSamples.Librivox()[0];
        var (second, _) = SpeechSamples.Librivox()[1];
        var fileName = Path.GetFileName(recording);
        await _page.GotoAsync("/");
        var navigations = 0;
        _page.FrameNavigated += (_, frame) =>
        {
            if (frame == _page.MainFrame && !frame.Url.Contains('#', StringComparison.Ordinal))
            {
                navigations++;
            }
        };
        await SignInAsync(ApiFactory.AdminKey);
        await Shot("library");

        // Every status word the jobs table shows, in order, as the page changes it.
        await _page.EvaluateAsync("""
            () => {
              window.statusesSeen = [];
              new MutationObserver(() => {
                for (const cell of document.querySelectorAll('table td.status')) {
                  const text = cell.textContent.trim();
                  if (window.statusesSeen.at(-1) !== text) window.statusesSeen.push(text);
                }
              }).observe(document.body, { subtree: true, childList: true, characterData: true });
            }
            """);

        // Two files at once: each uploaded with its own progress bar, each a job.
        await _page.GetByLabel("Upload media", new() { Exact = true }).SetInputFilesAsync([recording, second]);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Transcribe", Exact = true }).ClickAsync();
        var jobs = _page.GetByRole(AriaRole.Table, new() { Name = "Jobs, newest first" });
        var row = jobs.GetByRole(AriaRole.Row).Filter(new() { HasText = fileName });
        var secondRow = jobs.GetByRole(AriaRole.Row).Filter(new() { HasText = Path.GetFileName(second) });
        await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(secondRow).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Shot("uploaded");

        // The status moves on the page by itself (the event stream), no reload: not finished first, then succeeded.
        await Assertions.Expect(row.GetByRole(AriaRole.Cell, new() { Name = "succeeded", Exact = true })).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(secondRow.GetByRole(AriaRole.Cell, new() { Name = "succeeded", Exact = true })).ToBeVisibleAsync(new() { Timeout = 120_000 });
        var seen = await _page.EvaluateAsync<string[]>("() => window.statusesSeen");
        Assert.Contains(seen, s => s is "queued" or "running");
        Assert.Equal("succeeded", seen[^1]);
        Assert.Equal(0, navigations);
        await Shot("succeeded");

        // The transcript: the player beside words that are buttons named by the word.
        await row.GetByRole(AriaRole.Link, new() { Name = "Transcript", Exact = true }).ClickAsync();
        var player = _page.Locator("audio");
        await Assertions.Expect(player).ToHaveCountAsync(1);
        var words = _page.GetByRole(AriaRole.Group, new() { Name = "Transcript" }).GetByRole(AriaRole.Button);
        await Assertions.Expect(words.First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var jobId = _page.Url.Split("#/jobs/")[1].Split('?')[0];
        // Its progress came from its event stream.
        Assert.Contains(_requests, url => url.EndsWith($"/api/v1/jobs/{jobId}/events", StringComparison.Ordinal));
        var transcript = await new JobClient(factory.CreateClient()).GetAsync($"/api/v1/jobs/{jobId}/transcription");
        var apiWords = transcript.GetProperty("segments").EnumerateArray().SelectMany(s => s.GetProperty("words").EnumerateArray()).ToList();
        Assert.Equal(apiWords.Count, await words.CountAsync());

        // Click a word well into the recording: the player jumps to its start and plays from there.
        var index = apiWords.Count / 2;
        var word = apiWords[index];
        var start = word.GetProperty("start").GetDouble();
        var button = words.Nth(index);
        Assert.Equal(word.GetProperty("text").GetString(), await button.TextContentAsync());
        await button.ClickAsync();
        // Where playback started, read in the page as it starts (not a round trip later, when it has moved on).
        var at = await player.EvaluateAsync<double>(
            "a => new Promise(resolve => a.paused ? a.addEventListener('playing', () => resolve(a.currentTime), { once: true }) : resolve(a.currentTime))");
        Assert.InRange(at, start - 0.05, start + 1.5);
        // While it plays, the word being spoken is marked.
        await Assertions.Expect(_page.Locator("[aria-current=true]")).ToHaveCountAsync(1, new() { Timeout = 5_000 });
        await _page.WaitForFunctionAsync($"() => document.querySelector('audio').currentTime > {(at + 0.5).ToString(CultureInfo.InvariantCulture)}");
        await Shot("transcript");

        // The SRT download is the service's own export, fetched by the browser with the session cookie.
        var download = await _page.RunAndWaitForDownloadAsync(() => _page.GetByRole(AriaRole.Link, new() { Name = "SRT", Exact = true }).ClickAsync());
        var saved = Path.Combine(DashboardFactory.ScreenshotFolder, download.SuggestedFilename);
        await download.SaveAsAsync(saved);
        var srt = await File.ReadAllTextAsync(saved);
        Assert.StartsWith("1", srt.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains(" --> ", srt, StringComparison.Ordinal);
        Assert.Contains(word.GetProperty("text").GetString()!, srt, StringComparison.Ordinal);

        // Correct the first segment in the page: the server keeps revision 1 and the page shows revision 2's words.
        var api = new JobClient(factory.CreateClient());
        var transcriptionId = transcript.GetProperty("id").GetGuid();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Edit segment 1", Exact = true }).ClickAsync();
        await _page.GetByLabel("Text of segment 1", new() { Exact = true }).FillAsync("and mister john dashwood had then leisure");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(_page.GetByLabel("Text of segment 1", new() { Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(words.Filter(new() { HasTextString = "dashwood" })).ToHaveCountAsync(1);
        var edited = await api.GetAsync($"/api/v1/transcriptions/{transcriptionId}");
        Assert.Equal(2, edited.GetProperty("revision").GetInt32());
        Assert.Equal("and mister john dashwood had then leisure", edited.GetProperty("segments")[0].GetProperty("text").GetString());
        await Shot("edited");

        // Someone else edits meanwhile: the page's next save is refused (412) with a message, and Reload shows their text.
        using (var other = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/transcriptions/{transcriptionId}"))
        {
            other.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
            other.Content = System.Net.Http.Json.JsonContent.Create(new { segments = new[] { new { index = 0, text = "and mister john dashwood had leisure" } } });
            Assert.True((await factory.CreateClient().SendAsync(other)).IsSuccessStatusCode);
        }

        await _page.GetByRole(AriaRole.Button, new() { Name = "Edit segment 1", Exact = true }).ClickAsync();
        await _page.GetByLabel("Text of segment 1", new() { Exact = true }).FillAsync("a stale correction");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        var conflict = _page.GetByRole(AriaRole.Alert).Filter(new() { HasTextString = "Someone else changed this transcript" });
        await Assertions.Expect(conflict).ToBeVisibleAsync();
        await conflict.GetByRole(AriaRole.Button, new() { Name = "Reload", Exact = true }).ClickAsync();
        // Reloaded: the editor and the message are gone and the page shows the other edit, revision 3, word for word.
        await Assertions.Expect(_page.GetByLabel("Text of segment 1", new() { Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(conflict).ToHaveCountAsync(0);
        var latest = await api.GetAsync($"/api/v1/transcriptions/{transcriptionId}");
        Assert.Equal(3, latest.GetProperty("revision").GetInt32());
        var latestWords = latest.GetProperty("segments").EnumerateArray().SelectMany(s => s.GetProperty("words").EnumerateArray()).Select(w => w.GetProperty("text").GetString()!).ToArray();
        Assert.Contains("leisure", latestWords);
        await Assertions.Expect(words).ToHaveTextAsync(latestWords);
        // The 412 the page expected is logged by the browser itself, not by the page.
        _consoleErrors.RemoveAll(e => e.StartsWith("Failed to load resource", StringComparison.Ordinal) && e.Contains("412", StringComparison.Ordinal));

        // The narrow screen: nothing wider than a phone.
        await _page.SetViewportSizeAsync(360, 740);
        Assert.True(await _page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360"), "the transcript view scrolls sideways at 360 px");
        await Shot("transcript-360");
        await _page.GotoAsync("/#/");
        await Assertions.Expect(jobs.GetByRole(AriaRole.Row).Filter(new() { HasText = fileName })).ToHaveCountAsync(1);
        Assert.True(await _page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360"), "the library scrolls sideways at 360 px");
        await Shot("library-360");

        // Search across transcripts: a word of this one finds it, and the hit opens it at the word's time.
        await _page.SetViewportSizeAsync(1280, 900);
        var searchWord = apiWords.Select(w => w.GetProperty("text").GetString()!).First(w => w.Length >= 6);
        await _page.GetByLabel("Search transcripts", new() { Exact = true }).FillAsync(searchWord);
        await _page.GetByLabel("Search transcripts", new() { Exact = true }).PressAsync("Enter");
        await Assertions.Expect(_page.GetByRole(AriaRole.Link, new() { NameRegex = new($"^Open {System.Text.RegularExpressions.Regex.Escape(fileName)} at ") })).ToHaveCountAsync(1);
        await Shot("search");

        // An admin key also sees the operators' screen: the queue with its workers.
        await _page.GetByRole(AriaRole.Link, new() { Name = "Operators", Exact = true }).ClickAsync();
        await Assertions.Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Queue", Exact = true })).ToBeVisibleAsync();
        // This test's service runs its workers in this process: the process is listed as alive.
        await Assertions.Expect(_page.GetByRole(AriaRole.Table, new() { Name = "Worker processes alive", Exact = true }))
            .ToContainTextAsync($"{Environment.MachineName}:{Environment.ProcessId}");
        await Shot("operators");

        AssertStayedHome();
    }

    [Fact]
    public async Task A_wrong_key_is_refused_with_a_message_saying_so()
    {
        await _page.GotoAsync("/");
        await _page.GetByLabel("API key", new() { Exact = true }).FillAsync("mp_live_" + new string('x', 43));
        await _page.GetByLabel("API key", new() { Exact = true }).PressAsync("Enter");
        await Assertions.Expect(_page.GetByRole(AriaRole.Alert)).ToContainTextAsync("API key is invalid");
        await Shot("wrong-key");
        Assert.Null(await _page.EvaluateAsync<string?>("() => sessionStorage.length ? 'kept' : null"));
        // The 401 the page got is the answer it expected, not a console error of its own making.
        _consoleErrors.RemoveAll(e => e.StartsWith("Failed to load resource", StringComparison.Ordinal) && e.Contains("401", StringComparison.Ordinal));
        AssertStayedHome();
    }

    [Fact]
    public async Task Signing_in_and_moving_around_works_from_the_keyboard_with_a_visible_focus()
    {
        await _page.GotoAsync("/");
        // The key field has the focus on arrival: type the key and press Enter, no mouse.
        await Assertions.Expect(_page.GetByLabel("API key", new() { Exact = true })).ToBeFocusedAsync();
        await _page.Keyboard.TypeAsync(ApiFactory.AdminKey);
        await _page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(_page.GetByLabel("Upload media", new() { Exact = true })).ToBeAttachedAsync();

        // Every stop of the tab order shows where the focus is.
        for (var i = 0; i < 8; i++)
        {
            await _page.Keyboard.PressAsync("Tab");
            var focus = await _page.EvaluateAsync<string[]>("""
                () => {
                  const e = document.activeElement;
                  const s = getComputedStyle(e);
                  return [e.tagName + ' ' + (e.getAttribute('aria-label') || e.textContent || e.id || '').trim().slice(0, 40), s.outlineStyle, s.outlineWidth, s.boxShadow];
                }
                """);
            Assert.True(focus[1] != "none" && focus[2] != "0px" || focus[3] != "none", $"no visible focus on {focus[0]} ({focus[1]} {focus[2]}, {focus[3]})");
        }

        await Shot("keyboard");
        AssertStayedHome();
    }

    [Fact]
    public async Task The_api_reference_loads_nothing_from_elsewhere()
    {
        await _page.GotoAsync("/docs");
        await _page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(_page.GetByText("MediaPlatform").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Shot("docs");
        Assert.All(_requests, url => Assert.StartsWith(factory.BaseAddress.GetLeftPart(UriPartial.Authority), url, StringComparison.Ordinal));
    }

    private async Task SignInAsync(string key)
    {
        await _page.GetByLabel("API key", new() { Exact = true }).FillAsync(key);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(_page.GetByLabel("Upload media", new() { Exact = true })).ToBeAttachedAsync();
    }

    /// <summary>Every request went to the service's own origin (it works offline) and the page wrote no console error.</summary>
    private void AssertStayedHome()
    {
        var origin = factory.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.All(_requests.Where(u => !u.StartsWith("blob:", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal)),
            url => Assert.StartsWith(origin, url, StringComparison.Ordinal));
        Assert.Empty(_consoleErrors);
    }

    private Task Shot(string name) =>
        _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFactory.ScreenshotFolder, $"{name}.png"), FullPage = true });
}

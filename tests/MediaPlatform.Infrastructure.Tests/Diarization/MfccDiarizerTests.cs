using MediaPlatform.Domain.Jobs;
using MediaPlatform.Infrastructure.Diarization;
using MediaPlatform.Infrastructure.Transcriptions;
using MediaPlatform.TestSupport.Media;
using Xunit.Abstractions;

namespace MediaPlatform.Infrastructure.Tests.Diarization;

/// <summary>The offline diarizer on conversations of distinct voices, scored with DER (0.25 s collar).</summary>
public sealed class MfccDiarizerTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("diarize-").FullName;

    [Theory]
    [InlineData(true, "en-us+m3", "en-us+f4")]
    [InlineData(false, "en-us+m3", "en-us+f4")]
    [InlineData(false, "en-gb+m2", "en-us+f2")]
    [InlineData(false, "en-us+m1", "en-gb-x-rp+m4")]
    public async Task Two_voices_taking_turns_are_told_apart(bool countGiven, string a, string b)
    {
        var (path, reference) = Conversations.Build(_folder, Conversations.TwoSpeakers(a, b));
        var speech = reference.Select(t => (t.Start, t.End)).ToList();

        var turns = await new MfccDiarizer().DiarizeAsync(path, speech, countGiven ? new SpeakerLabels(Expected: 2) : new SpeakerLabels());

        var der = DiarizationErrorRate.Score(reference, [.. turns.Select(t => new Conversations.Turn(t.Speaker, t.Start, t.End))]);
        output.WriteLine($"DER {der:P1}; turns: {string.Join(", ", turns.Select(t => $"{t.Speaker} {t.Start:0.0}-{t.End:0.0}"))}");
        // The issue's goal for the two-speaker set: DER at most 20 %. Two men's voices may be split into more labels
        // than there are speakers (the README gives the figures); a count given is always kept.
        Assert.True(der <= 0.20, $"DER {der:P1}");
        Assert.InRange(turns.Select(t => t.Speaker).Distinct().Count(), 2, countGiven ? 2 : SpeakerLabels.Limit);
    }

    [Fact]
    public async Task One_reader_stays_one_speaker()
    {
        var (path, reference) = Conversations.Build(_folder, [.. SpeechSamples.Librivox().Select(l => new Conversations.Line("A", "file:" + l.Path, string.Empty))]);

        var turns = await new MfccDiarizer().DiarizeAsync(path, [.. reference.Select(t => (t.Start, t.End))], new SpeakerLabels());

        output.WriteLine(string.Join(", ", turns.Select(t => $"{t.Speaker} {t.Start:0.0}-{t.End:0.0}")));
        Assert.Equal(["S1"], turns.Select(t => t.Speaker).Distinct());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

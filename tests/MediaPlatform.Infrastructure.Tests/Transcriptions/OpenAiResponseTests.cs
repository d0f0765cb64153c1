using MediaPlatform.Infrastructure.Transcriptions;

namespace MediaPlatform.Infrastructure.Tests.Transcriptions;

/// <summary>Reading the verbose_json shape the OpenAI audio API documents (the request side is tested against an unreachable server).</summary>
public sealed class OpenAiResponseTests
{
    [Fact]
    public void Verbose_json_segments_and_words_become_a_transcript()
    {
        const string json = """
            {"task":"transcribe","language":"english","duration":3.2,"text":"Hello there. General Kenobi.",
             "segments":[{"id":0,"start":0.0,"end":1.2,"text":" Hello there.","avg_logprob":-0.2},
                         {"id":1,"start":1.5,"end":3.1,"text":" General Kenobi.","avg_logprob":-0.5}],
             "words":[{"word":"Hello","start":0.0,"end":0.5},{"word":"there","start":0.6,"end":1.1},
                      {"word":"General","start":1.5,"end":2.2},{"word":"Kenobi","start":2.3,"end":3.0}]}
            """;

        var transcript = OpenAiCompatibleEngine.Parse(json, "whisper-1", null);

        Assert.Equal("en", transcript.Language);
        Assert.Equal(2, transcript.Segments.Count);
        Assert.Equal("Hello there.", transcript.Segments[0].Text);
        Assert.Equal(["General", "Kenobi"], transcript.Segments[1].Words.Select(w => w.Text));
        Assert.Equal(Math.Round(Math.Exp(-0.5), 4), transcript.Segments[1].Confidence);
    }
}

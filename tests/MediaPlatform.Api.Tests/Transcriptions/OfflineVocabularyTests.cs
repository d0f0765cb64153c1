using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Transcriptions;

/// <summary>
/// A job's vocabulary through the API with the offline engine, on real speech: the card names' suits and the queen are
/// taken out of the engine's dictionary, so jobs cannot hear them; a job that names them in its vocabulary does,
/// spelled as the vocabulary spells them.
/// </summary>
public sealed class OfflineVocabularyTests(OfflineVocabularyTests.Factory factory) : IClassFixture<OfflineVocabularyTests.Factory>
{
    private static readonly string[] Targets = ["clubs", "spades", "hearts", "queen"];

    private readonly JobClient _jobs = new(factory.CreateClient());

    [Fact]
    public async Task Words_the_offline_engine_lacks_are_heard_once_the_jobs_vocabulary_names_them()
    {
        var without = await HeardAsync(vocabulary: null);
        var with = await HeardAsync(vocabulary: ["Clubs", "Spades", "Hearts", "Queen"]);

        Assert.Equal(0, without.Heard);
        // Measured: 7 of 7, every one spelled as the vocabulary spells it.
        Assert.True(with.Heard >= 6, $"{with.Heard} of {with.Occurrences} heard with the vocabulary");
        Assert.True(with.Capitalised == with.Heard, $"{with.Capitalised} of {with.Heard} spelled as the vocabulary spells them");
    }

    private async Task<(int Heard, int Occurrences, int Capitalised)> HeardAsync(string[]? vocabulary)
    {
        int heard = 0, occurrences = 0, capitalised = 0;
        foreach (var (path, reference) in SpeechSamples.Cards())
        {
            var (_, transcript) = await _jobs.TranscribeAsync(path, vocabulary is null ? null : new { vocabulary, analyses = Array.Empty<string>() });
            var words = transcript.GetProperty("text").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var (found, said) = SpeechSamples.TargetsHeard(reference, [.. words.Select(w => w.ToLowerInvariant())], Targets);
            heard += found;
            occurrences += said;
            capitalised += SpeechSamples.TargetsHeard(reference, words, Targets, spelled: t => char.ToUpperInvariant(t[0]) + t[1..]).Heard;
        }

        return (heard, occurrences, capitalised);
    }

    /// <summary>The service with its workers, its offline engine on a model whose dictionary lacks the targets.</summary>
    public sealed class Factory : ProcessingFactory
    {
        private readonly DirectoryInfo _models = Directory.CreateTempSubdirectory("mp-model-");

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            base.Settings().Append(new("Transcription:PocketSphinx:ModelPath", SpeechModels.WithoutDictionaryWords(_models.FullName, Targets)));

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing && _models.Exists)
            {
                _models.Delete(recursive: true);
            }
        }
    }
}

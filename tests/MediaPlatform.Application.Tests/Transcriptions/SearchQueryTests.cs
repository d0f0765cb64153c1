using MediaPlatform.Application.Transcriptions.SearchTranscripts;

namespace MediaPlatform.Application.Tests.Transcriptions;

/// <summary>Which web-search queries have something to find.</summary>
public sealed class SearchQueryTests
{
    [Theory]
    [InlineData("boy", true)]
    [InlineData("leisure -boy", true)]
    [InlineData("\"quoted phrase\"", true)]
    [InlineData("-\"quoted phrase\" word", true)]
    [InlineData("cat or dog", true)]
    [InlineData("boy-scout", true)]
    [InlineData("-boy", false)]
    [InlineData("-boy -\"a phrase\"", false)]
    [InlineData("or", false)]
    [InlineData("-boy or -girl", false)]
    [InlineData("\"\" !!", false)]
    public void A_query_has_a_word_to_find_unless_every_term_is_excluded(string q, bool expected) =>
        Assert.Equal(expected, SearchTranscriptsValidator.HasWordToFind(q));
}

using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.Infrastructure.Redaction;

namespace MediaPlatform.Infrastructure.Tests.Redaction;

public sealed class PiiRedactorTests
{
    private static readonly PiiRedaction All = new(
        [PiiPolicy.Email, PiiPolicy.PhoneNumber, PiiPolicy.CreditCardNumber, PiiPolicy.UsSocialSecurityNumber, PiiPolicy.PersonName, PiiPolicy.NumberSequence],
        PiiSubstitution.EntityName, ["Anand Kumar"], keepUnredacted: false);

    [Theory]
    [InlineData("my email is john dot doe at example dot com thanks", "my email is [EMAIL] thanks")]
    [InlineData("write to jane@example.org, please", "write to [EMAIL] please")]
    [InlineData("look at the house", "look at the house")]
    [InlineData("call six five zero two five three zero zero zero zero now", "call [PHONE_NUMBER] now")]
    [InlineData("or 201-555-0123 at night", "or [PHONE_NUMBER] at night")]
    [InlineData("card four one one one one one one one one one one one one one one one ok", "card [CREDIT_CARD_NUMBER] ok")]
    [InlineData("card 4111 1111 1111 1111 ok", "card [CREDIT_CARD_NUMBER] ok")]
    [InlineData("card 4111 1111 1111 1112 ok", "card [NUMBER_SEQUENCE] ok")]
    [InlineData("social one two three dash four five dash six seven eight nine", "social [US_SOCIAL_SECURITY_NUMBER]")]
    [InlineData("ask anand kumar about it", "ask [PERSON_NAME] about it")]
    [InlineData("room two oh four", "room two oh four")]
    [InlineData("pin one two three four", "pin [NUMBER_SEQUENCE]")]
    public void Written_and_spoken_forms_are_replaced_by_their_entity(string said, string expected)
    {
        var redacted = new PiiRedactor().Redact([Spoken(said)], All);

        Assert.Equal(expected, redacted.Segments[0].Text);
        Assert.Equal(expected, string.Join(' ', redacted.Segments[0].Words.Select(w => w.Text)));
    }

    [Fact]
    public void A_replaced_entity_is_one_word_spanning_the_time_it_was_said()
    {
        var redacted = new PiiRedactor().Redact([Spoken("email john dot doe at example dot com")], All);

        var word = redacted.Segments[0].Words[1];
        Assert.Equal(("[EMAIL]", 1, 8), (word.Text, word.Start, word.End));
        Assert.Equal([new RedactedSpan(1, 8, "email")], redacted.Spans);
    }

    [Fact]
    public void Only_the_chosen_policies_are_redacted_and_hash_keeps_the_length()
    {
        var redaction = new PiiRedaction([PiiPolicy.Email], PiiSubstitution.Hash, null, keepUnredacted: false);

        var redacted = new PiiRedactor().Redact([Spoken("mail a@b.io or call 201-555-0123")], redaction);

        Assert.Equal("mail ###### or call 201-555-0123", redacted.Segments[0].Text);
    }

    [Fact]
    public void A_segment_without_word_timings_is_redacted_over_its_words_spread_evenly()
    {
        var redacted = new PiiRedactor().Redact([new Segment(10, 14, "call 201-555-0123 now", 0.8, [])], All);

        Assert.Equal("call [PHONE_NUMBER] now", redacted.Segments[0].Text);
        Assert.Equal(new RedactedSpan(11.333, 12.667, "phone_number"), Assert.Single(redacted.Spans));
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("79927398713", true)]
    public void Luhn_checks_card_numbers(string digits, bool valid) => Assert.Equal(valid, PiiRedactor.Luhn(digits));

    /// <summary>A segment with one second per word.</summary>
    private static Segment Spoken(string text)
    {
        var words = text.Split(' ').Select((w, i) => new Word(w, i, i + 1, 0.9)).ToList();
        return new Segment(0, words.Count, text, 0.9, words);
    }
}

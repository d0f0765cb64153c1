using MapsterMapper;
using MediaPlatform.Application.Transcriptions.EditTranscription;
using MediaPlatform.Application.Transcriptions.GetTranscription;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Transcriptions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace MediaPlatform.Application.Tests.Transcriptions;

public sealed class EditTranscriptionHandlerTests
{
    private static readonly DateTimeOffset _now = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly ITranscriptionRepository _transcriptions = Substitute.For<ITranscriptionRepository>();
    private readonly IMapper _mapper = new Mapper(DependencyInjection.CreateMappingConfig());
    private readonly Transcription _transcription = Transcription.Create(
        JobId.New(), MediaAssetId.New(), "en", "pocketsphinx", "en-us", [new Segment(0, 1, "helo", 0.5, [new Word("helo", 0, 1, 0.5)])], _now).Value;

    public EditTranscriptionHandlerTests() =>
        _transcriptions.GetAsync(_transcription.Id, Arg.Any<CancellationToken>()).Returns(_transcription);

    [Fact]
    public async Task An_edit_keeps_the_revision_it_replaces_and_answers_with_the_next()
    {
        var result = await Handler().Handle(Command([1]), default);

        Assert.Equal((2, "hello"), (result.Value.Revision, result.Value.Text));
        _transcriptions.Received(1).AddRevision(Arg.Is<TranscriptionRevision>(r => r.Revision == 1 && r.Text == "helo"));
    }

    [Fact]
    public async Task An_edit_on_a_revision_the_client_did_not_read_is_a_precondition_failure_that_changes_nothing()
    {
        var result = await Handler().Handle(Command([7, 8]), default);

        Assert.Equal((ErrorType.PreconditionFailed, "transcription.revision_stale"), (result.Error!.Type, result.Error.Code));
        Assert.Equal(1, _transcription.Revision);
        _transcriptions.DidNotReceiveWithAnyArgs().AddRevision(default!);
    }

    [Fact]
    public async Task If_match_any_edits_whatever_revision_is_there()
    {
        var result = await Handler().Handle(Command(null), default);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task An_earlier_revision_is_read_from_the_kept_ones_and_a_revision_never_written_is_not_found()
    {
        await Handler().Handle(Command([1]), default);
        var kept = _transcriptions.ReceivedCalls().Select(c => c.GetArguments()[0]).OfType<TranscriptionRevision>().Single();
        _transcriptions.GetRevisionAsync(_transcription.Id, 1, Arg.Any<CancellationToken>()).Returns(kept);
        var reader = new GetTranscriptionHandler(_transcriptions, _mapper);

        var first = await reader.Handle(new GetTranscriptionQuery(_transcription.Id.Value, 1), default);
        var current = await reader.Handle(new GetTranscriptionQuery(_transcription.Id.Value, 2), default);
        var future = await reader.Handle(new GetTranscriptionQuery(_transcription.Id.Value, 3), default);

        Assert.Equal((1, "helo", null), (first.Value.Revision, first.Value.Text, first.Value.EditedAt));
        Assert.Equal((2, "hello"), (current.Value.Revision, current.Value.Text));
        Assert.Equal("transcription.revision_not_found", future.Error!.Code);
    }

    [Fact]
    public void The_validator_names_each_bad_field()
    {
        var validator = new EditTranscriptionValidator();

        var errors = validator.Validate(new EditTranscriptionCommand(
            Guid.NewGuid(),
            [new SegmentEditDto(-1, "ok"), new SegmentEditDto(0, "tab\there"), new SegmentEditDto(1, new string('x', EditTranscriptionValidator.MaxSegmentText + 1))],
            new Dictionary<string, string?> { ["S 1"] = "Alice", ["S2"] = "bell\a" },
            null)).Errors.Select(e => e.PropertyName).ToList();

        Assert.Contains("segments[0].Index", errors);
        Assert.Contains("segments[1].Text", errors);
        Assert.Contains("segments[2].Text", errors);
        Assert.Contains("speakers[0].Key", errors);
        Assert.Contains("speakers[1].Value", errors);
        Assert.Contains("body", validator.Validate(new EditTranscriptionCommand(Guid.NewGuid(), null, null, null)).Errors.Select(e => e.PropertyName));
    }

    private EditTranscriptionHandler Handler() => new(_transcriptions, new FakeTimeProvider(_now.AddMinutes(5)), _mapper);

    private EditTranscriptionCommand Command(int[]? ifMatch) =>
        new(_transcription.Id.Value, [new SegmentEditDto(0, "hello")], null, ifMatch);
}

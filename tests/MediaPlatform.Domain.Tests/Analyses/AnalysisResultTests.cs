using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Domain.Tests.Analyses;

public sealed class AnalysisResultTests
{
    [Theory]
    [InlineData("[1,2]", "analysis.payload_not_object")]
    [InlineData("{not json", "analysis.payload_invalid")]
    public void The_payload_must_be_a_json_object(string payload, string code) =>
        Assert.Equal(code, AnalysisResult.Create(JobId.New(), TranscriptionId.New(), AnalysisKind.Summary, payload, null, DateTimeOffset.UnixEpoch).Error?.Code);

    [Fact]
    public void Ids_are_version_7_uuids_ordered_by_creation_millisecond()
    {
        // UUIDv7 orders by millisecond only; within one millisecond the random bits decide, and keyset
        // pagination breaks such ties on the id itself.
        var first = JobId.New();
        Thread.Sleep(2);
        var second = JobId.New();

        Assert.Equal(7, first.Value.Version);
        Assert.True(string.CompareOrdinal(first.ToString(), second.ToString()) < 0);
    }
}

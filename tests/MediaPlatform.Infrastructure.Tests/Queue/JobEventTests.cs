using MediaPlatform.Infrastructure.Queue;

namespace MediaPlatform.Infrastructure.Tests.Queue;

public sealed class JobEventTests
{
    private const string Lease = "host:42:1:ab12";
    private const uint Claim = 1000;

    [Theory]
    [InlineData("queued", null, 999)] // the submission's own notification, arriving after the claim
    [InlineData("running", Lease, 1000)] // the claim itself
    [InlineData("running", Lease, 1005)] // this claim's progress
    [InlineData("cancelled", null, 998)] // a cancel before a manual retry, arriving late
    public void Changes_made_before_the_claim_or_by_it_do_not_stop_the_work(string status, string? lease, long xid) =>
        Assert.False(new JobEvent(Guid.NewGuid(), status, 0, null, lease, xid).StopsClaim(Lease, Claim));

    [Theory]
    [InlineData("cancelled", null, 1001)]
    [InlineData("deleted", null, 1001)]
    [InlineData("queued", null, 1010)] // the reaper took it back
    [InlineData("running", "other:1:1:ff", 1020)] // another worker claimed it
    public void Changes_made_after_the_claim_by_someone_else_stop_the_work(string status, string? lease, long xid) =>
        Assert.True(new JobEvent(Guid.NewGuid(), status, 0, null, lease, xid).StopsClaim(Lease, Claim));

    [Fact]
    public void Transaction_ids_are_compared_across_wraparound()
    {
        var claim = uint.MaxValue - 5;

        Assert.True(new JobEvent(Guid.NewGuid(), "cancelled", 0, null, null, 3).StopsClaim(Lease, claim));
        Assert.False(new JobEvent(Guid.NewGuid(), "queued", 0, null, null, uint.MaxValue - 10).StopsClaim(Lease, claim));
    }
}

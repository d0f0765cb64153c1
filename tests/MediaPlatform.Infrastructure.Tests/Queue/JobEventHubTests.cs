using MediaPlatform.Infrastructure.Queue;

namespace MediaPlatform.Infrastructure.Tests.Queue;

/// <summary>The in-process fan-out of job events: who hears what, and for how long.</summary>
public sealed class JobEventHubTests
{
    private readonly JobEventHub _hub = new();

    [Fact]
    public void A_jobs_subscriber_hears_its_own_events_and_an_every_job_subscriber_hears_all()
    {
        var mine = Guid.CreateVersion7();
        var other = Guid.CreateVersion7();
        var heardByMine = new List<Guid>();
        var heardByAll = new List<Guid>();
        using var one = _hub.Subscribe(mine, e => heardByMine.Add(e.Id));
        using var all = _hub.Subscribe(null, e => heardByAll.Add(e.Id));

        _hub.Publish(new JobEvent(mine, "running", 0, null));
        _hub.Publish(new JobEvent(other, "running", 0, null));

        Assert.Equal([mine], heardByMine);
        Assert.Equal([mine, other], heardByAll);
    }

    [Fact]
    public void A_disposed_subscription_hears_nothing_more_and_leaves_the_others_of_its_job()
    {
        var job = Guid.CreateVersion7();
        var first = 0;
        var second = 0;
        var every = 0;
        var one = _hub.Subscribe(job, _ => first++);
        using var two = _hub.Subscribe(job, _ => second++);
        var all = _hub.Subscribe(null, _ => every++);

        one.Dispose();
        all.Dispose();
        one.Dispose(); // twice: nothing more happens
        _hub.Publish(new JobEvent(job, "succeeded", 100, null));

        Assert.Equal((0, 1, 0), (first, second, every));
    }

    [Fact]
    public void Two_subscriptions_with_the_same_handler_end_one_at_a_time()
    {
        var job = Guid.CreateVersion7();
        var heard = 0;
        Action<JobEvent> handler = _ => heard++;
        var one = _hub.Subscribe(job, handler);
        using var two = _hub.Subscribe(job, handler);

        one.Dispose();
        _hub.Publish(new JobEvent(job, "running", 0, null));

        Assert.Equal(1, heard);
    }
}

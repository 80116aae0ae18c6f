using Arcp.Runtime.Supervision;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Runtime.Tests.Delivery;

public sealed class FailureBackoffTests
{
    [Fact]
    public void Failed_InARow_DoublesUpToMaxAndTracksDuration()
    {
        var time = new FakeTimeProvider();
        var backoff = new FailureBackoff(time, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Failed()).ToList();
        time.Advance(TimeSpan.FromSeconds(7));

        Assert.Equal(new[] { 100, 200, 400, 800, 1000, 1000 }, delays.Select(d => (int)d.TotalMilliseconds));
        Assert.Equal(TimeSpan.FromSeconds(7), backoff.FailingFor);
        Assert.Equal(6, backoff.Failures);
    }

    [Fact]
    public void Succeeded_AfterFailures_StartsOver()
    {
        var time = new FakeTimeProvider();
        var backoff = new FailureBackoff(time, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        backoff.Failed();
        backoff.Failed();
        time.Advance(TimeSpan.FromSeconds(3));

        backoff.Succeeded();

        Assert.Equal(TimeSpan.Zero, backoff.FailingFor);
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Failed());
    }
}

using Arcp.Testing.Faults;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Azure.Tests.Faults;

public sealed class FaultScheduleTests
{
    private static readonly FaultScheduleOptions Busy = new() { Seed = 7, ServerBusy = 0.2, OperationTimedOut = 0.1, ReplyLost = 0.2, Latency = 0.1 };

    [Fact]
    public void Next_SameSeed_SameSequence()
    {
        // Arrange
        var first = new FaultSchedule(Busy);
        var second = new FaultSchedule(Busy);

        // Act
        var a = Enumerable.Range(0, 500).Select(_ => first.Next()).ToList();
        var b = Enumerable.Range(0, 500).Select(_ => second.Next()).ToList();

        // Assert: identical decisions, and every kind drawn at least once.
        Assert.Equal(a, b);
        Assert.All(new[] { FaultKind.None, FaultKind.ServerBusy, FaultKind.OperationTimedOut, FaultKind.ReplyLost, FaultKind.Latency }, k => Assert.Contains(a, d => d.Kind == k));
        Assert.Equal(500, first.Requests);
        Assert.Equal(a.Count(d => d.Kind == FaultKind.ReplyLost), first.Count(FaultKind.ReplyLost));
    }

    [Fact]
    public void Next_OtherSeed_OtherSequence()
    {
        var a = new FaultSchedule(Busy);
        var b = new FaultSchedule(Busy with { Seed = 8 });

        Assert.NotEqual(Enumerable.Range(0, 200).Select(_ => a.Next()).ToList(), Enumerable.Range(0, 200).Select(_ => b.Next()).ToList());
    }

    [Fact]
    public void Next_Latency_WithinRange()
    {
        var schedule = new FaultSchedule(new FaultScheduleOptions { Latency = 1.0, MinLatency = TimeSpan.FromSeconds(1), MaxLatency = TimeSpan.FromSeconds(2) });

        var delays = Enumerable.Range(0, 100).Select(_ => schedule.Next()).ToList();

        Assert.All(delays, d => Assert.Equal(FaultKind.Latency, d.Kind));
        Assert.All(delays, d => Assert.InRange(d.Delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Next_InOutageWindow_EveryRequest503()
    {
        // Arrange: 6 s of outage at the end of every 25 s.
        var time = new FakeTimeProvider();
        var schedule = new FaultSchedule(new FaultScheduleOptions { OutageLength = TimeSpan.FromSeconds(6), OutagePeriod = TimeSpan.FromSeconds(25) }, time);

        // Act / Assert
        Assert.Equal(FaultKind.None, schedule.Next().Kind);
        time.Advance(TimeSpan.FromSeconds(19));
        var outage = schedule.Next();
        Assert.Equal(FaultKind.Outage, outage.Kind);
        Assert.Equal(503, outage.Status);
        time.Advance(TimeSpan.FromSeconds(5.9));
        Assert.Equal(FaultKind.Outage, schedule.Next().Kind);
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(FaultKind.None, schedule.Next().Kind);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(FaultKind.Outage, schedule.Next().Kind);
        Assert.Equal(2, schedule.Count(FaultKind.None));
        Assert.Equal(3, schedule.Count(FaultKind.Outage));
    }

    [Fact]
    public void Next_Disabled_NothingDrawnOrCounted()
    {
        var schedule = new FaultSchedule(new FaultScheduleOptions { ServerBusy = 1.0 }) { Enabled = false };

        Assert.Equal(FaultDecision.None, schedule.Next());
        Assert.Equal(0, schedule.Requests);

        schedule.Enabled = true;
        Assert.Equal(FaultKind.ServerBusy, schedule.Next().Kind);
    }

    [Fact]
    public void Next_ForcedOutage_UntilEnded()
    {
        var schedule = new FaultSchedule(new FaultScheduleOptions());

        schedule.BeginOutage();
        Assert.Equal(FaultKind.Outage, schedule.Next().Kind);
        schedule.EndOutage();
        Assert.Equal(FaultKind.None, schedule.Next().Kind);
    }
}

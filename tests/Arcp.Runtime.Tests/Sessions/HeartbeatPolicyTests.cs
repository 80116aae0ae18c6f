using Arcp.Runtime.Sessions;

namespace Arcp.Runtime.Tests.Sessions;

/// <summary>The one heartbeat rule both transports apply (§6.4, §14).</summary>
public sealed class HeartbeatPolicyTests
{
    private static readonly DateTimeOffset s_now = new(2026, 5, 13, 10, 0, 0, TimeSpan.Zero);
    private readonly HeartbeatPolicy _policy = new(new ArcpSessionOptions { HeartbeatIntervalSec = 1 });

    [Fact]
    public void Decide_TimerFiredAMillisecondEarly_StillPings()
    {
        // The peer answered the last ping at once; the check's timer woke just before a full interval had passed.
        var lastPing = s_now.AddMilliseconds(-999);

        var decision = _policy.Decide(true, s_now, lastInboundAt: lastPing.AddMilliseconds(5), lastOutboundAt: lastPing);

        Assert.Equal(HeartbeatDecision.Ping, decision);
    }

    [Fact]
    public void Decide_PingedHalfAnIntervalAgoAndPeerAnswered_WaitsForTheNextCheck()
    {
        var decision = _policy.Decide(true, s_now, lastInboundAt: s_now.AddMilliseconds(-400), lastOutboundAt: s_now.AddMilliseconds(-500));

        Assert.Equal(HeartbeatDecision.None, decision);
    }

    [Fact]
    public void Decide_NothingInboundForMoreThanTwoIntervals_Lost()
    {
        var decision = _policy.Decide(true, s_now, lastInboundAt: s_now.AddMilliseconds(-2100), lastOutboundAt: s_now.AddMilliseconds(-100));

        Assert.Equal(HeartbeatDecision.Lost, decision);
    }

    [Fact]
    public void Decide_HeartbeatNotNegotiated_NeverPingsNorLoses()
    {
        var decision = _policy.Decide(false, s_now, lastInboundAt: s_now.AddMinutes(-5), lastOutboundAt: s_now.AddMinutes(-5));

        Assert.Equal(HeartbeatDecision.None, decision);
    }
}

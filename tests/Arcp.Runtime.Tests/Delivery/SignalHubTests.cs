using Arcp.Runtime.Delivery;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Runtime.Tests.Delivery;

public sealed class SignalHubTests
{
    [Fact]
    public async Task WaitAny_PulseBetweenListeningAndWaiting_StillWakes()
    {
        // Arrange: a delivery loop listens, then reads storage; the writer pulses during that read.
        var hub = new SignalHub();
        var listening = hub.WaitForAsync(SignalHub.Session("s1"));
        hub.Pulse(SignalHub.Session("s1"));

        // Act: the wait starts only after the pulse (a real clock would make a lost pulse cost the whole timeout).
        var woken = await SignalHub.WaitAnyAsync([listening], TimeSpan.FromMinutes(5), new FakeTimeProvider(), CancellationToken.None);

        // Assert
        Assert.True(woken);
    }

    [Fact]
    public async Task WaitAny_NoPulse_FalseWhenTheTimeoutPasses()
    {
        var hub = new SignalHub();
        var time = new FakeTimeProvider();
        var wait = SignalHub.WaitAnyAsync([hub.WaitForAsync(SignalHub.Job("j1"))], TimeSpan.FromSeconds(2), time, CancellationToken.None);
        Assert.False(wait.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(2));

        Assert.False(await wait);
    }

    [Fact]
    public void Pulse_OtherKey_DoesNotWake()
    {
        var hub = new SignalHub();
        var listening = hub.WaitForAsync(SignalHub.Session("s1"));

        hub.Pulse(SignalHub.Session("s2"));

        Assert.False(listening.IsCompleted);
    }

    [Fact]
    public async Task WaitFor_KeysNeverPulsedAgain_DroppedAfterStaleAfter()
    {
        // Arrange: waits on jobs that finished and sessions that went away; nobody pulses them any more.
        var time = new FakeTimeProvider();
        var hub = new SignalHub(time);
        var stale = Enumerable.Range(0, 1000).Select(i => hub.WaitForAsync(SignalHub.Job("j" + i))).ToList();

        // Act
        time.Advance(SignalHub.StaleAfter + TimeSpan.FromSeconds(1));
        var fresh = hub.WaitForAsync(SignalHub.Session("s1"));

        // Assert: only the live key is kept; stale waiters were woken (one extra read for them, never a lost pulse).
        Assert.Equal(1, hub.Count);
        await Task.WhenAll(stale).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(fresh.IsCompleted);
        hub.Pulse(SignalHub.Session("s1"));
        await fresh.WaitAsync(TimeSpan.FromSeconds(5));
    }
}

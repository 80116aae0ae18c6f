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
}

using System.Text.Json;

namespace Arcp.Client.Tests;

/// <summary>The client side of §6.4 and §6.5: it answers the runtime's pings and acknowledges what it processed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ArcpClientHeartbeatAndAckTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ClientHost.StartAsync(azurite, "--Arcp:Sessions:HeartbeatIntervalSec=1");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task IdleFiveHeartbeatIntervals_PingsAnswered_SameConnectionThroughout()
    {
        await using var client = await ClientHost.ConnectAsync(_host);
        var sessionId = client.Session.SessionId;
        var before = (await _host.Sessions.GetAsync(sessionId, default))!.ConnectionId;

        // The runtime declares HEARTBEAT_LOST after two silent intervals; only answered pings keep this connection.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = await _host.Sessions.GetAsync(sessionId, default);

        Assert.True(client.IsConnected);
        Assert.Equal(sessionId, client.Session.SessionId);
        Assert.NotNull(before);
        Assert.Equal(before, after!.ConnectionId);
        Assert.Null(after.DetachedAt);
    }

    [Fact]
    public async Task AckNegotiated_ProcessedEventsAcknowledged()
    {
        await using var client = await ClientHost.ConnectAsync(_host);

        var job = await client.SubmitAsync("countdown", JsonSerializer.SerializeToElement(new { steps = 10, interval_ms = 30 }));
        await job.GetResultAsync();
        var acked = await WaitForAckAsync(client.Session.SessionId, 11, TimeSpan.FromSeconds(10));

        Assert.Equal(11, acked);
    }

    private async Task<long> WaitForAckAsync(string sessionId, long target, TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        long acked;
        while ((acked = (await _host.Sessions.GetAsync(sessionId, default))!.LastAckedSeq) < target && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return acked;
    }
}

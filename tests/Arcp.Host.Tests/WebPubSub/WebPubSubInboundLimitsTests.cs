namespace Arcp.Host.Tests.WebPubSub;

/// <summary>
/// §14 limits on the Web PubSub path, where every client frame is its own upstream request: the per-principal session
/// cap holds across nodes, and the inbound rate cap and replayed-id check apply across a connection's messages.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebPubSubInboundLimitsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SessionCap_CountedAcrossNodes()
    {
        await using var nodes = await WebPubSubTwoNodes.StartAsync(azurite.ConnectionString, "--Arcp:Sessions:MaxSessionsPerPrincipal=2");
        await using var first = await nodes.ConnectAsync("tok-alice");
        await using var second = await nodes.ConnectAsync("tok-alice");
        Assert.Equal("session.welcome", (await first.HelloAsync("tok-alice", [])).GetProperty("type").GetString());
        Assert.Equal("session.welcome", (await second.HelloAsync("tok-alice", [])).GetProperty("type").GetString());

        // A third session of the same principal on the other node (a direct WebSocket there).
        await using var third = await nodes.Second.ConnectAsync();
        var refused = await third.HelloAsync("tok-alice", []);
        await first.SendAsync("session.close", new { reason = "done" });
        await first.ReceiveTypeAsync("session.closed");
        await using var fourth = await nodes.Second.ConnectAsync();
        var admitted = await fourth.HelloAsync("tok-alice", []);

        Assert.Equal("session.error", refused.GetProperty("type").GetString());
        Assert.Equal("PERMISSION_DENIED", refused.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal("session.welcome", admitted.GetProperty("type").GetString());
    }

    [Fact]
    public async Task InboundRateCap_AppliesAcrossMessagesOfAConnection()
    {
        await using var nodes = await WebPubSubTwoNodes.StartAsync(azurite.ConnectionString, "--Arcp:Sessions:MaxInboundPerSecond=2");
        await using var client = await nodes.ConnectAsync("tok-alice");
        await client.HelloAsync("tok-alice", []);

        const int Pings = 12;
        for (var i = 0; i < Pings; i++)
        {
            await client.SendAsync("session.ping", new { nonce = $"n{i}", sent_at = "2026-05-13T10:00:00.000Z" });
        }

        var replies = new List<string>();
        for (var i = 0; i < Pings; i++)
        {
            var frame = (await client.ReceiveAsync(TimeSpan.FromSeconds(10)))!.Value;
            replies.Add(frame.GetProperty("type").GetString()!);
        }

        Assert.Contains("session.error", replies);
        Assert.InRange(replies.Count(r => r == "session.pong"), 1, 9);
    }

    [Fact]
    public async Task ReplayedFrameId_IgnoredAcrossMessagesOfAConnection()
    {
        await using var nodes = await WebPubSubTwoNodes.StartAsync(azurite.ConnectionString);
        await using var client = await nodes.ConnectAsync("tok-alice");
        await client.HelloAsync("tok-alice", []);

        await client.SendAsync("session.ping", new { nonce = "first", sent_at = "2026-05-13T10:00:00.000Z" }, id: "msg_replayed01");
        var pong = await client.ReceiveAsync();
        await client.SendAsync("session.ping", new { nonce = "replay", sent_at = "2026-05-13T10:00:00.000Z" }, id: "msg_replayed01");
        await client.SendAsync("session.ping", new { nonce = "last", sent_at = "2026-05-13T10:00:00.000Z" });
        var next = await client.ReceiveAsync();

        Assert.Equal("first", pong!.Value.GetProperty("payload").GetProperty("ping_nonce").GetString());
        Assert.Equal("last", next!.Value.GetProperty("payload").GetProperty("ping_nonce").GetString());
    }
}

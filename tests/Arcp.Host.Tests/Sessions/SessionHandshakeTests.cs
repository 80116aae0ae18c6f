using System.Text.Json;

namespace Arcp.Host.Tests.Sessions;

[Collection(AzuriteCollection.Name)]
public sealed class SessionHandshakeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Hello_ValidToken_WelcomeWithSessionTokenWindowRuntimeAgents()
    {
        await using var client = await _host.ConnectAsync();

        var welcome = await client.HelloAsync("tok-alice", ["heartbeat", "list_jobs", "bogus"]);

        Assert.Equal("session.welcome", welcome.GetProperty("type").GetString());
        Assert.Equal("1.1", welcome.GetProperty("arcp").GetString());
        Assert.StartsWith("sess_", welcome.GetProperty("session_id").GetString());
        Assert.StartsWith("msg_", welcome.GetProperty("id").GetString());
        Assert.EndsWith("Z", welcome.GetProperty("timestamp").GetString());
        Assert.False(welcome.TryGetProperty("event_seq", out _));
        var payload = welcome.GetProperty("payload");
        Assert.Matches("^rt_[0-9a-f]{64}$", payload.GetProperty("resume_token").GetString());
        Assert.Equal(600, payload.GetProperty("resume_window_sec").GetInt32());
        Assert.Equal(30, payload.GetProperty("heartbeat_interval_sec").GetInt32());
        Assert.False(string.IsNullOrEmpty(payload.GetProperty("runtime").GetProperty("name").GetString()));
        Assert.Equal(["heartbeat", "list_jobs"], payload.GetProperty("capabilities").GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        var countdown = payload.GetProperty("capabilities").GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "countdown");
        Assert.Equal(["1.0.0"], countdown.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("1.0.0", countdown.GetProperty("default").GetString());
    }

    [Fact]
    public async Task Hello_WithoutHeartbeatFeature_NoHeartbeatInterval()
    {
        await using var client = await _host.ConnectAsync();

        var welcome = await client.HelloAsync("tok-alice", []);

        Assert.False(welcome.GetProperty("payload").TryGetProperty("heartbeat_interval_sec", out _));
        Assert.Empty(welcome.GetProperty("payload").GetProperty("capabilities").GetProperty("features").EnumerateArray());
    }

    [Fact]
    public async Task Hello_BadToken_UnauthenticatedNoWelcomeConnectionStaysForAnotherHello()
    {
        await using var client = await _host.ConnectAsync();

        var refused = await client.HelloAsync("wrong-token", []);
        var welcome = await client.HelloAsync("tok-alice", []);

        Assert.Equal("session.error", refused.GetProperty("type").GetString());
        Assert.Equal("UNAUTHENTICATED", refused.GetProperty("payload").GetProperty("code").GetString());
        Assert.False(refused.GetProperty("payload").GetProperty("retryable").GetBoolean());
        Assert.StartsWith("sess_", refused.GetProperty("session_id").GetString());
        Assert.Equal("session.welcome", welcome.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Hello_UnsupportedScheme_InvalidRequest()
    {
        await using var client = await _host.ConnectAsync();

        await client.SendAsync("session.hello", new { client = new { name = "t", version = "1" }, auth = new { scheme = "basic", token = "x" } });
        var reply = await client.ReceiveAsync();

        Assert.Equal("INVALID_REQUEST", reply!.Value.GetProperty("payload").GetProperty("code").GetString());
    }

    [Fact]
    public async Task BeforeHello_OtherMessage_UnauthenticatedButPingAnswered()
    {
        await using var client = await _host.ConnectAsync();

        await client.SendAsync("session.list_jobs", new { });
        var refused = await client.ReceiveAsync();
        await client.SendAsync("session.ping", new { nonce = "p_1", sent_at = "2026-05-13T10:00:00.000Z" });
        var pong = await client.ReceiveAsync();

        Assert.Equal("UNAUTHENTICATED", refused!.Value.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal("session.pong", pong!.Value.GetProperty("type").GetString());
        Assert.Equal("p_1", pong.Value.GetProperty("payload").GetProperty("ping_nonce").GetString());
    }

    [Fact]
    public async Task SecondHello_AfterWelcome_InvalidRequest()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;

        var second = await client.HelloAsync("tok-alice", []);

        Assert.Equal("INVALID_REQUEST", second.GetProperty("payload").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"arcp":"2.0","id":"x","type":"session.ping","payload":{}}""")]
    [InlineData("""{"arcp":"1.1","id":"x","payload":{}}""")]
    [InlineData("""{"arcp":"1.1","id":"x","type":"session.list_jobs","payload":{"limit":"ten"}}""")]
    public async Task BadFrame_SessionErrorInvalidRequestAndSessionKeepsServing(string frame)
    {
        var (client, welcome) = await _host.OpenSessionAsync();
        await using var _client = client;

        await client.SendRawAsync(frame);
        var error = await client.ReceiveAsync();
        await client.SendAsync("session.ping", new { nonce = "p_after", sent_at = "2026-05-13T10:00:00.000Z" });
        var pong = await client.ReceiveAsync();

        Assert.Equal("session.error", error!.Value.GetProperty("type").GetString());
        Assert.Equal("INVALID_REQUEST", error.Value.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal(welcome.GetProperty("session_id").GetString(), error.Value.GetProperty("session_id").GetString());
        Assert.Equal("p_after", pong!.Value.GetProperty("payload").GetProperty("ping_nonce").GetString());
    }

    [Fact]
    public async Task UnknownType_InvalidRequestWithDetailsType()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;

        await client.SendAsync("job.frobnicate", new { });
        var error = await client.ReceiveAsync();

        Assert.Equal("INVALID_REQUEST", error!.Value.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal("job.frobnicate", error.Value.GetProperty("payload").GetProperty("details").GetProperty("type").GetString());
    }

    [Fact]
    public async Task UnknownTopLevelFields_Ignored()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;

        await client.SendRawAsync("""{"arcp":"1.1","id":"msg_x1","type":"session.ping","extra":{"a":1},"payload":{"nonce":"n1","sent_at":"2026-05-13T10:00:00.000Z","more":true}}""");
        var pong = await client.ReceiveAsync();

        Assert.Equal("n1", pong!.Value.GetProperty("payload").GetProperty("ping_nonce").GetString());
    }

    [Fact]
    public async Task OversizeFrame_InvalidRequestAndConnectionUsable()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;

        await client.SendRawAsync("{\"arcp\":\"1.1\",\"id\":\"big\",\"type\":\"session.ping\",\"payload\":{\"nonce\":\"" + new string('a', 1_100_000) + "\"}}");
        var error = await client.ReceiveAsync();
        await client.SendAsync("session.ping", new { nonce = "p2", sent_at = "2026-05-13T10:00:00.000Z" });
        var pong = await client.ReceiveAsync();

        Assert.Equal("INVALID_REQUEST", error!.Value.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal("p2", pong!.Value.GetProperty("payload").GetProperty("ping_nonce").GetString());
    }

    [Fact]
    public async Task BinaryFrame_InvalidRequestAndConnectionUsable()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;

        await client.SendRawAsync(System.Text.Encoding.UTF8.GetBytes("""{"arcp":"1.1","id":"msg_bin","type":"session.ping","payload":{"nonce":"b"}}"""), System.Net.WebSockets.WebSocketMessageType.Binary);
        var error = await client.ReceiveAsync();
        await client.SendAsync("session.ping", new { nonce = "after-binary", sent_at = "2026-05-13T10:00:00.000Z" });
        var pong = await client.ReceiveAsync();

        Assert.Equal("session.error", error!.Value.GetProperty("type").GetString());
        Assert.Equal("INVALID_REQUEST", error.Value.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal("after-binary", pong!.Value.GetProperty("payload").GetProperty("ping_nonce").GetString());
    }

    [Fact]
    public async Task Heartbeat_Negotiated_RuntimePingsWithNonceAndTimeButNoSeq()
    {
        await using var host = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, "--Arcp:Sessions:HeartbeatIntervalSec=1");
        var (client, welcome) = await host.OpenSessionAsync("tok-alice", "heartbeat");
        await using var _client = client;

        var (ping, _) = await client.ReceiveTypeAsync("session.ping", TimeSpan.FromSeconds(5));

        Assert.Equal(1, welcome.GetProperty("payload").GetProperty("heartbeat_interval_sec").GetInt32());
        Assert.False(string.IsNullOrEmpty(ping.GetProperty("payload").GetProperty("nonce").GetString()));
        Assert.EndsWith("Z", ping.GetProperty("payload").GetProperty("sent_at").GetString());
        Assert.False(ping.TryGetProperty("event_seq", out _));
        Assert.Equal(welcome.GetProperty("session_id").GetString(), ping.GetProperty("session_id").GetString());
    }

    [Fact]
    public async Task ProvisionedCredentials_AdvertisedOnlyWhereAProvisionerIsConfigured()
    {
        await using var withProvisioner = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, "--Arcp:Credentials:Endpoint=https://gateway.test/v1");
        var (plainClient, plain) = await _host.OpenSessionAsync("tok-alice", "provisioned_credentials", "progress");
        var (provisionedClient, provisioned) = await withProvisioner.OpenSessionAsync("tok-alice", "provisioned_credentials", "progress");
        await using var _plain = plainClient;
        await using var _provisioned = provisionedClient;

        Assert.Equal(["progress"], Features(plain));
        Assert.Equal(["progress", "provisioned_credentials"], Features(provisioned).Order(StringComparer.Ordinal));

        static IEnumerable<string?> Features(JsonElement welcome) =>
            welcome.GetProperty("payload").GetProperty("capabilities").GetProperty("features").EnumerateArray().Select(f => f.GetString());
    }

    [Fact]
    public async Task Ping_AnsweredAndDoesNotConsumeSeq()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;

        await client.SendAsync("session.ping", new { nonce = "p_1", sent_at = "2026-05-13T10:00:00.000Z" });
        var pong = await client.ReceiveAsync();
        await client.SendAsync("job.submit", new { agent = "echo", input = 1 });
        await client.ReceiveTypeAsync("job.accepted");
        var (result, _) = await client.ReceiveTypeAsync("job.result");

        Assert.False(pong!.Value.TryGetProperty("event_seq", out _));
        Assert.Equal(1, result.GetProperty("event_seq").GetInt64());
    }

    [Fact]
    public async Task CloseAndBye_SessionClosed()
    {
        foreach (var type in new[] { "session.close", "session.bye" })
        {
            var (client, _) = await _host.OpenSessionAsync();
            await using var _client = client;

            await client.SendAsync(type, new { reason = "done" });
            var closed = await client.ReceiveAsync();
            var end = await client.ReceiveAsync();

            Assert.Equal("session.closed", closed!.Value.GetProperty("type").GetString());
            Assert.Equal("done", closed.Value.GetProperty("payload").GetProperty("reason").GetString());
            Assert.Null(end);
        }
    }
}

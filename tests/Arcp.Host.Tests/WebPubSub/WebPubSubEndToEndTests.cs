using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using Arcp.Testing.WebPubSub;

namespace Arcp.Host.Tests.WebPubSub;

/// <summary>
/// The Azure path, end to end on this machine: negotiate → Web PubSub stand-in → upstream CloudEvents to the same
/// handler the Functions app runs → REST sends back through the stand-in. Runs once per auth mode of the service.
/// </summary>
public abstract class WebPubSubEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _savedEnvironment = new(StringComparer.Ordinal);

    protected WebPubSubStandIn Service { get; private set; } = null!;

    protected ArcpTestHost Host { get; private set; } = null!;

    /// <summary>The stand-in's auth mode and keys.</summary>
    protected abstract WebPubSubStandInOptions StandInOptions();

    /// <summary>The host's Web PubSub settings; the stand-in's by default.</summary>
    protected virtual IEnumerable<string> HostSettings(WebPubSubStandIn service) => service.HostSettings();

    public async Task InitializeAsync()
    {
        Service = await WebPubSubStandIn.StartAsync(StandInOptions());

        // The host's DefaultAzureCredential finds the managed-identity endpoint the way it does on App Service.
        foreach (var (name, value) in Service.HostEnvironment())
        {
            _savedEnvironment[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        Host = await ArcpTestHost.StartAsync(
            azurite.ConnectionString,
            null,
            [.. HostSettings(Service), "--Arcp:Sessions:HeartbeatIntervalSec=1"]);
        Service.UpstreamUrl = new Uri(Host.Address, "/api/webpubsub");
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Service.DisposeAsync();
        foreach (var (name, value) in _savedEnvironment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    [Fact]
    public async Task Negotiate_BadToken_401()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.Address, "/api/negotiate"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "nope");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task NegotiateConnectHelloSubmit_StreamedEventsAndResult()
    {
        await using var client = await ConnectAsync("tok-alice");

        var welcome = await client.HelloAsync("tok-alice", ["progress"]);
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 5, interval_ms = 20 } });
        var (accepted, _) = await client.ReceiveTypeAsync("job.accepted");
        var events = await client.ReceiveThroughTerminalAsync(accepted.GetProperty("job_id").GetString()!);

        Assert.Equal("session.welcome", welcome.GetProperty("type").GetString());
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), events.Select(e => e.GetProperty("event_seq").GetInt64()));
        Assert.Equal("job.result", events[^1].GetProperty("type").GetString());
        Assert.True(Service.RestSends >= 7);
    }

    [Fact]
    public async Task EightConcurrentJobs_OneSession_GapFreeInSeqOrder()
    {
        await using var client = await ConnectAsync("tok-alice");
        await client.HelloAsync("tok-alice", ["progress"]);

        for (var i = 0; i < 8; i++)
        {
            await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 6, interval_ms = 15 } });
        }

        var seqs = new List<long>();
        var terminals = 0;
        while (terminals < 8)
        {
            var frame = (await client.ReceiveAsync(TimeSpan.FromSeconds(30)))!.Value;
            if (frame.TryGetProperty("event_seq", out var seq))
            {
                seqs.Add(seq.GetInt64());
            }

            terminals += frame.GetProperty("type").GetString() is "job.result" or "job.error" ? 1 : 0;
        }

        Assert.Equal(Enumerable.Range(1, 8 * 7).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task SocketDroppedMidJob_JobFinishes_NewConnectionResumesWithoutGap()
    {
        var client = await ConnectAsync("tok-alice");
        var welcome = await client.HelloAsync("tok-alice", ["progress"]);
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 30, interval_ms = 50 } });
        var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        var (third, _) = await client.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out var s) && s.GetInt64() == 3);

        client.Abort();
        await client.DisposeAsync();
        await Task.Delay(500);
        Assert.Equal(Arcp.Protocol.Messages.JobStatus.Running, (await Host.Jobs.GetAsync(jobId, default))!.Status);

        await using var resumed = await ConnectAsync("tok-alice");
        var again = await resumed.HelloAsync("tok-alice", ["progress"], new
        {
            session_id = welcome.GetProperty("session_id").GetString(),
            resume_token = welcome.GetProperty("payload").GetProperty("resume_token").GetString(),
            last_event_seq = third.GetProperty("event_seq").GetInt64(),
        });
        var rest = await resumed.ReceiveThroughTerminalAsync(jobId, TimeSpan.FromSeconds(30));

        Assert.Equal(welcome.GetProperty("session_id").GetString(), again.GetProperty("session_id").GetString());
        Assert.Equal(Enumerable.Range(4, 28).Select(i => (long)i), rest.Select(e => e.GetProperty("event_seq").GetInt64()));
    }

    [Fact]
    public async Task HeartbeatLost_SessionDetachedJobUntouched()
    {
        await using var client = await ConnectAsync("tok-alice");
        var welcome = await client.HelloAsync("tok-alice", ["heartbeat"]);
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 100, interval_ms = 50 } });
        var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;

        // Say nothing more: after two silent intervals the sweep closes the connection.
        var (lost, _) = await client.ReceiveUntilAsync(e => e.GetProperty("type").GetString() == "session.error", TimeSpan.FromSeconds(15));
        var end = await client.ReceiveAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("HEARTBEAT_LOST", lost.GetProperty("payload").GetProperty("code").GetString());
        Assert.Null(end);
        var session = await Host.Sessions.GetAsync(welcome.GetProperty("session_id").GetString()!, default);
        for (var i = 0; i < 50 && session!.ConnectionId is not null; i++)
        {
            // The sweep detaches right after closing the connection; give it a moment.
            await Task.Delay(100);
            session = await Host.Sessions.GetAsync(welcome.GetProperty("session_id").GetString()!, default);
        }

        Assert.Null(session!.ConnectionId);
        Assert.NotNull(session.DetachedAt);
        Assert.Equal(Arcp.Protocol.Messages.JobStatus.Running, (await Host.Jobs.GetAsync(jobId, default))!.Status);
    }

    [Fact]
    public async Task TokenWithoutUser_ConnectRejected()
    {
        var uri = new UriBuilder(Service.Endpoint) { Scheme = "ws", Path = $"/client/hubs/{Service.Hub}", Query = "access_token=" + Service.CreateClientToken(userId: null) }.Uri;

        await Assert.ThrowsAnyAsync<WebSocketException>(() => ArcpTestClient.ConnectAsync(uri));
    }

    [Fact]
    public async Task BadFrame_SessionErrorInReplyAndSocketStaysOpen()
    {
        await using var client = await ConnectAsync("tok-alice");
        await client.HelloAsync("tok-alice", []);

        await client.SendRawAsync("{definitely not json");
        var error = await client.ReceiveAsync();
        await client.SendAsync("session.ping", new { nonce = "still-here", sent_at = "2026-05-13T10:00:00.000Z" });
        var pong = await client.ReceiveAsync();

        Assert.Equal("INVALID_REQUEST", error!.Value.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal("still-here", pong!.Value.GetProperty("payload").GetProperty("ping_nonce").GetString());
        Assert.Equal(WebSocketState.Open, client.State);
    }

    protected Task<ArcpTestClient> ConnectAsync(string token) =>
        Host.ConnectThroughWebPubSubAsync(token, () => $"The service last refused: {Service.LastRefusal}");
}

/// <summary>The service with access keys: signed REST calls and client tokens, <c>ce-signature</c> upstream.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebPubSubAccessKeyEndToEndTests(AzuriteFixture azurite) : WebPubSubEndToEndTests(azurite)
{
    protected override WebPubSubStandInOptions StandInOptions() => new();

    [Fact]
    public async Task BadSignature_ConnectRejected()
    {
        Service.SigningKeyOverride = Convert.ToBase64String(new byte[32]);
        try
        {
            await Assert.ThrowsAnyAsync<WebSocketException>(() => ConnectAsync("tok-alice"));
        }
        finally
        {
            Service.SigningKeyOverride = null;
        }
    }
}

/// <summary>
/// The app holds only the secondary key (the primary was rotated out): the service signs upstream events with both
/// keys and accepts tokens signed with either.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebPubSubSecondaryKeyEndToEndTests(AzuriteFixture azurite) : WebPubSubEndToEndTests(azurite)
{
    protected override WebPubSubStandInOptions StandInOptions() => new();

    protected override IEnumerable<string> HostSettings(WebPubSubStandIn service) =>
        [$"--Arcp:WebPubSub:Endpoint={service.Endpoint}", $"--Arcp:WebPubSub:AccessKeys={service.SecondaryKey}"];
}

/// <summary>
/// The service with local auth disabled, as the template deploys it: REST calls and <c>:generateToken</c> with an Entra
/// token the app's <c>DefaultAzureCredential</c> gets from a managed-identity endpoint, upstream events with the
/// service identity's token for the hub's resource — both issued by a local authority.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebPubSubEntraEndToEndTests(AzuriteFixture azurite) : WebPubSubEndToEndTests(azurite)
{
    protected override WebPubSubStandInOptions StandInOptions() => new() { Entra = true };

    [Fact]
    public async Task ServiceRefusesKeySignedRest_AppUsesEntraTokens()
    {
        using var http = new HttpClient();
        using var keySigned = new HttpRequestMessage(HttpMethod.Head, new Uri(Service.Endpoint, $"/api/hubs/{Service.Hub}/connections/x?api-version=2024-12-01"));
        keySigned.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Service.CreateClientToken(null));
        using var refused = await http.SendAsync(keySigned);

        await using var client = await ConnectAsync("tok-alice");
        await client.HelloAsync("tok-alice", []);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(Service.RestCalls >= 2, $"REST calls: {Service.RestCalls}");
    }

    [Fact]
    public async Task UpstreamTokenFromAnotherIdentity_ConnectRejected()
    {
        Service.ServiceClientId = "0d9c8b7a-6f5e-4d3c-2b1a-000000000002";
        try
        {
            await Assert.ThrowsAnyAsync<WebSocketException>(() => ConnectAsync("tok-alice"));
        }
        finally
        {
            Service.ServiceClientId = FakeEntraAuthority.DefaultClientId;
        }
    }
}

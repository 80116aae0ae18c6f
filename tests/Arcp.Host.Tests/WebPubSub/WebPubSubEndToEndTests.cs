using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using Arcp.Testing.WebPubSub;

namespace Arcp.Host.Tests.WebPubSub;

/// <summary>
/// The Azure path, end to end on this machine: negotiate → Web PubSub stand-in → upstream CloudEvents to the same
/// handler the Functions app runs → REST sends back through the stand-in.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebPubSubEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private WebPubSubStandIn _service = null!;
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _service = await WebPubSubStandIn.StartAsync();
        _host = await ArcpTestHost.StartAsync(
            azurite.ConnectionString,
            null,
            $"--Arcp:WebPubSub:Endpoint={_service.Endpoint}",
            $"--Arcp:WebPubSub:AccessKeys={_service.AccessKey}",
            "--Arcp:Sessions:HeartbeatIntervalSec=1");
        _service.UpstreamUrl = new Uri(_host.Address, "/api/webpubsub");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task Negotiate_BadToken_401()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_host.Address, "/api/negotiate"));
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
        Assert.True(_service.RestSends >= 7);
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
        Assert.Equal(Arcp.Protocol.Messages.JobStatus.Running, (await _host.Jobs.GetAsync(jobId, default))!.Status);

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
        var session = await _host.Sessions.GetAsync(welcome.GetProperty("session_id").GetString()!, default);
        for (var i = 0; i < 50 && session!.ConnectionId is not null; i++)
        {
            // The sweep detaches right after closing the connection; give it a moment.
            await Task.Delay(100);
            session = await _host.Sessions.GetAsync(welcome.GetProperty("session_id").GetString()!, default);
        }

        Assert.Null(session!.ConnectionId);
        Assert.NotNull(session.DetachedAt);
        Assert.Equal(Arcp.Protocol.Messages.JobStatus.Running, (await _host.Jobs.GetAsync(jobId, default))!.Status);
    }

    [Fact]
    public async Task BadSignature_ConnectRejected()
    {
        _service.SigningKeyOverride = Convert.ToBase64String(new byte[32]);
        try
        {
            await Assert.ThrowsAnyAsync<WebSocketException>(() => ConnectAsync("tok-alice"));
        }
        finally
        {
            _service.SigningKeyOverride = null;
        }
    }

    [Fact]
    public async Task TokenWithoutUser_ConnectRejected()
    {
        var uri = new UriBuilder(_service.Endpoint) { Scheme = "ws", Path = $"/client/hubs/{_service.Hub}", Query = "access_token=" + _service.CreateClientToken(userId: null) }.Uri;

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

    private async Task<ArcpTestClient> ConnectAsync(string token)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_host.Address, "/api/negotiate"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return await ArcpTestClient.ConnectAsync(new Uri(document.RootElement.GetProperty("url").GetString()!));
    }
}

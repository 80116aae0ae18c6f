using System.Text.Json;

namespace Arcp.Host.Tests.Sessions;

/// <summary>Invariant 1 (seed 000): however a connection ends, the job runs on and the session can be resumed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SessionResumeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, "--Arcp:Sessions:HeartbeatIntervalSec=1");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> Endings() => new() { "close", "bye", "abort", "heartbeat" };

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task ConnectionEnds_JobKeepsRunning_ResumeGetsRestWithoutGap(string ending)
    {
        // Arrange: a long job and a client that has seen some of its events.
        var features = ending == "heartbeat" ? ArcpTestClient.AllFeatures : ArcpTestClient.AllFeatures.Where(f => f != "heartbeat").ToArray();
        var (client, welcome) = await _host.OpenSessionAsync("tok-alice", features);
        var sessionId = welcome.GetProperty("session_id").GetString()!;
        var token = welcome.GetProperty("payload").GetProperty("resume_token").GetString()!;
        const int steps = 60;
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps, interval_ms = 80 } });
        var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        var (lastSeen, _) = await client.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out var s) && s.GetInt64() == 3);

        // Act: end the connection the way the theory says.
        switch (ending)
        {
            case "close":
            case "bye":
                await client.SendAsync("session." + ending, new { reason = "later" });
                await client.ReceiveTypeAsync("session.closed");
                break;
            case "abort":
                client.Abort();
                break;
            case "heartbeat":
                // Stop answering: the runtime declares HEARTBEAT_LOST after two silent intervals and closes.
                var (lost, _) = await client.ReceiveUntilAsync(e => e.GetProperty("type").GetString() == "session.error", TimeSpan.FromSeconds(10));
                Assert.Equal("HEARTBEAT_LOST", lost.GetProperty("payload").GetProperty("code").GetString());
                Assert.True(lost.GetProperty("payload").GetProperty("retryable").GetBoolean());
                break;
        }

        await client.DisposeAsync();
        await Task.Delay(300);
        var midway = await _host.Jobs.GetAsync(jobId, default);
        Assert.Equal(Arcp.Protocol.Messages.JobStatus.Running, midway!.Status);

        // Assert: resume from seq 3 gets 4.. with the original seqs, then the terminal result.
        await using var resumed = await _host.ConnectAsync();
        // The resumed client does not negotiate heartbeat: it never answers pings.
        var again = await resumed.HelloAsync("tok-alice", ArcpTestClient.AllFeatures.Where(f => f != "heartbeat").ToArray(), new { session_id = sessionId, resume_token = token, last_event_seq = lastSeen.GetProperty("event_seq").GetInt64() });
        Assert.Equal("session.welcome", again.GetProperty("type").GetString());
        Assert.Equal(sessionId, again.GetProperty("session_id").GetString());
        Assert.NotEqual(token, again.GetProperty("payload").GetProperty("resume_token").GetString());
        var rest = await resumed.ReceiveThroughTerminalAsync(jobId, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(4, steps - 2).Select(i => (long)i), rest.Select(e => e.GetProperty("event_seq").GetInt64()));
        Assert.Equal("job.result", rest[^1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Resume_ReplayIsByteIdenticalToFirstDelivery()
    {
        var (client, welcome) = await _host.OpenSessionAsync("tok-alice", "progress");
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 4, interval_ms = 1 } });
        var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        var first = await client.ReceiveThroughTerminalAsync(jobId);
        client.Abort();
        await client.DisposeAsync();

        await using var resumed = await _host.ConnectAsync();
        await resumed.HelloAsync("tok-alice", ["progress"], new { resume_token = welcome.GetProperty("payload").GetProperty("resume_token").GetString(), last_event_seq = 0 });
        var replay = await resumed.ReceiveThroughTerminalAsync(jobId);

        Assert.Equal(first.Select(e => e.GetRawText()), replay.Select(e => e.GetRawText()));
    }

    [Fact]
    public async Task Resume_OldTokenAfterTheRotatedOneWasUsed_Refused()
    {
        var (client, welcome) = await _host.OpenSessionAsync();
        var token = welcome.GetProperty("payload").GetProperty("resume_token").GetString()!;
        client.Abort();
        await client.DisposeAsync();
        await Task.Delay(200);
        await using var second = await _host.ConnectAsync();
        var rotated = (await second.HelloAsync("tok-alice", [], new { resume_token = token, last_event_seq = 0 })).GetProperty("payload").GetProperty("resume_token").GetString()!;
        second.Abort();
        await Task.Delay(200);
        await using var third = await _host.ConnectAsync();
        Assert.Equal("session.welcome", (await third.HelloAsync("tok-alice", [], new { resume_token = rotated, last_event_seq = 0 })).GetProperty("type").GetString());
        third.Abort();
        await Task.Delay(200);

        await using var fourth = await _host.ConnectAsync();
        var refused = await fourth.HelloAsync("tok-alice", [], new { resume_token = token, last_event_seq = 0 });

        Assert.Equal("RESUME_WINDOW_EXPIRED", refused.GetProperty("payload").GetProperty("code").GetString());
        Assert.False(refused.GetProperty("payload").GetProperty("retryable").GetBoolean());
    }

    [Fact]
    public async Task Resume_WelcomeLostOnItsWay_TokenPresentedResumesAgainAndTheUnseenOneIsSpent()
    {
        // A resume whose welcome never reached the client (the host froze, the connection dropped) must not lock the
        // client out: the token it still holds works once more, and the token it never saw is spent.
        var (client, welcome) = await _host.OpenSessionAsync();
        var token = welcome.GetProperty("payload").GetProperty("resume_token").GetString()!;
        client.Abort();
        await client.DisposeAsync();
        await Task.Delay(200);
        await using var lost = await _host.ConnectAsync();
        var unseen = (await lost.HelloAsync("tok-alice", [], new { resume_token = token, last_event_seq = 0 })).GetProperty("payload").GetProperty("resume_token").GetString()!;
        lost.Abort();
        await Task.Delay(200);

        await using var again = await _host.ConnectAsync();
        var resumed = await again.HelloAsync("tok-alice", [], new { resume_token = token, last_event_seq = 0 });
        again.Abort();
        await Task.Delay(200);
        await using var stale = await _host.ConnectAsync();
        var refused = await stale.HelloAsync("tok-alice", [], new { resume_token = unseen, last_event_seq = 0 });

        Assert.Equal("session.welcome", resumed.GetProperty("type").GetString());
        Assert.Equal(welcome.GetProperty("session_id").GetString(), resumed.GetProperty("session_id").GetString());
        Assert.Equal("RESUME_WINDOW_EXPIRED", refused.GetProperty("payload").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("rt_0000000000000000000000000000000000000000000000000000000000000000", 0L, "tok-alice")]
    [InlineData(null, 999L, "tok-alice")]
    [InlineData(null, 0L, "tok-bob")]
    public async Task Resume_UnknownTokenCursorAheadOrOtherPrincipal_RefusedWithoutWelcome(string? token, long lastEventSeq, string helloToken)
    {
        var (client, welcome) = await _host.OpenSessionAsync();
        client.Abort();
        await client.DisposeAsync();
        await using var resumed = await _host.ConnectAsync();

        var refused = await resumed.HelloAsync(helloToken, [], new { resume_token = token ?? welcome.GetProperty("payload").GetProperty("resume_token").GetString(), last_event_seq = lastEventSeq });

        Assert.Equal("session.error", refused.GetProperty("type").GetString());
        Assert.Equal("RESUME_WINDOW_EXPIRED", refused.GetProperty("payload").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Resume_RubyAndFlatForms_Accepted()
    {
        var (client, welcome) = await _host.OpenSessionAsync();
        client.Abort();
        await client.DisposeAsync();
        await using var ruby = await _host.ConnectAsync();
        var viaRuby = await ruby.HelloAsync("tok-alice", [], new { token = welcome.GetProperty("payload").GetProperty("resume_token").GetString(), last_event_seq = 0 });
        ruby.Abort();
        await Task.Delay(200);

        await using var flat = await _host.ConnectAsync();
        await flat.SendAsync("session.hello", new { client = new { name = "c", version = "1" }, auth = new { scheme = "bearer", token = "tok-alice" }, resume_token = viaRuby.GetProperty("payload").GetProperty("resume_token").GetString(), last_event_seq = 0 });
        var viaFlat = (await flat.ReceiveAsync())!.Value;

        Assert.Equal(welcome.GetProperty("session_id").GetString(), viaRuby.GetProperty("session_id").GetString());
        Assert.Equal(welcome.GetProperty("session_id").GetString(), viaFlat.GetProperty("session_id").GetString());
    }

    [Fact]
    public async Task BareSessionResume_ReplaysWithoutWelcomeAndKeepsTheToken()
    {
        var (client, welcome) = await _host.OpenSessionAsync("tok-alice", "progress");
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 3, interval_ms = 1 } });
        var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        var first = await client.ReceiveThroughTerminalAsync(jobId);
        client.Abort();
        await client.DisposeAsync();

        // The C# runtime's form: session.resume as the first message, the token its only credential; no welcome.
        await using var resumed = await _host.ConnectAsync();
        await resumed.SendAsync("session.resume", new { resume_token = welcome.GetProperty("payload").GetProperty("resume_token").GetString(), last_event_seq = 1 });
        var replay = await resumed.ReceiveThroughTerminalAsync(jobId);
        await resumed.SendAsync("session.ping", new { nonce = "open", sent_at = "2026-05-13T10:00:00.000Z" });
        var pong = await resumed.ReceiveAsync();

        Assert.Equal(first.Skip(1).Select(e => e.GetRawText()), replay.Select(e => e.GetRawText()));
        Assert.Equal("session.pong", pong!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Resume_CursorBelowAcknowledgedFloor_WindowExpired()
    {
        var (client, welcome) = await _host.OpenSessionAsync("tok-alice", "ack", "progress");
        await client.SendAsync("job.submit", new { agent = "burst", input = new { n = 200 } });
        var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        await client.ReceiveThroughTerminalAsync(jobId);
        await client.SendAsync("session.ack", new { last_processed_seq = 150 });
        await Task.Delay(500);
        client.Abort();
        await client.DisposeAsync();

        await using var resumed = await _host.ConnectAsync();
        var refused = await resumed.HelloAsync("tok-alice", ["ack"], new { resume_token = welcome.GetProperty("payload").GetProperty("resume_token").GetString(), last_event_seq = 10 });

        Assert.Equal("RESUME_WINDOW_EXPIRED", refused.GetProperty("payload").GetProperty("code").GetString());
    }
}

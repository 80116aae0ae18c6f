using System.Text.Json;
using System.Text.Json.Nodes;

namespace Arcp.Host.Tests.Interop;

/// <summary>
/// Whole conversations in the wire forms of each public ARCP SDK (TypeScript, Ruby, C#), sent byte for byte as those
/// clients send them: handshake, submit, events, cancel, reconnect with that client's resume form, close. Each asserts
/// the keys that client reads, so a change that breaks one SDK fails here.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DialectInteropTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TypeScriptClient_HelloSubmitCancelResumeBye()
    {
        // Handshake: nested client with a fingerprint, a feature list, no timestamp, no session id.
        var client = await _host.ConnectAsync();
        await client.SendAsync("session.hello", new JsonObject
        {
            ["client"] = new JsonObject { ["name"] = "@arcp/client", ["version"] = "1.1.0", ["fingerprint"] = "ts-node-20" },
            ["auth"] = new JsonObject { ["scheme"] = "bearer", ["token"] = "tok-alice" },
            ["capabilities"] = new JsonObject { ["features"] = new JsonArray("progress", "ack", "list_jobs", "no_such_feature") },
        }, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K5A");
        var welcome = await ReceiveAsync(client);
        Assert.Equal("session.welcome", Type(welcome));
        var sessionId = welcome.GetProperty("session_id").GetString()!;
        var payload = welcome.GetProperty("payload");
        Assert.Equal(["ack", "list_jobs", "progress"], payload.GetProperty("capabilities").GetProperty("features").EnumerateArray().Select(f => f.GetString()).Order(StringComparer.Ordinal));
        Assert.False(string.IsNullOrEmpty(payload.GetProperty("runtime").GetProperty("name").GetString()));
        Assert.All(payload.GetProperty("capabilities").GetProperty("agents").EnumerateArray(), a => Assert.Equal(JsonValueKind.Array, a.GetProperty("versions").ValueKind));

        // Submit matched by trace id (TS drops frames whose trace_id is not 32 hex).
        const string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        await client.SendAsync("job.submit", new JsonObject { ["agent"] = "countdown", ["input"] = new JsonObject { ["steps"] = 2, ["interval_ms"] = 10 } }, sessionId: sessionId, traceId: trace, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K5B");
        var (accepted, _) = await client.ReceiveTypeAsync("job.accepted");
        Assert.Equal(trace, accepted.GetProperty("trace_id").GetString());
        Assert.False(accepted.TryGetProperty("event_seq", out _));
        var jobId = accepted.GetProperty("payload").GetProperty("job_id").GetString()!;
        var events = await client.ReceiveThroughTerminalAsync(jobId);
        Assert.All(events, e => Assert.Equal(trace, e.GetProperty("trace_id").GetString()));
        Assert.All(events, e => Assert.Equal(sessionId, e.GetProperty("session_id").GetString()));
        Assert.Equal("job.result", Type(events[^1]));
        Assert.Equal(jobId, events[^1].GetProperty("payload").GetProperty("job_id").GetString());
        Assert.True(events[^1].TryGetProperty("event_seq", out _));

        // Cancel with the job id on the envelope only.
        await client.SendAsync("job.submit", new JsonObject { ["agent"] = "countdown", ["input"] = new JsonObject { ["steps"] = 200, ["interval_ms"] = 50 } }, sessionId: sessionId, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K5C");
        var longJob = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("payload").GetProperty("job_id").GetString()!;
        var (seen, _) = await client.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out _) && e.GetProperty("job_id").GetString() == longJob);
        await client.SendAsync("job.cancel", new JsonObject(), sessionId: sessionId, jobId: longJob, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K5D");
        var (cancelled, _) = await client.ReceiveTypeAsync("job.cancelled");
        Assert.Equal(longJob, cancelled.GetProperty("payload").GetProperty("job_id").GetString());
        var rest = await client.ReceiveThroughTerminalAsync(longJob);
        Assert.Equal("CANCELLED", rest[^1].GetProperty("payload").GetProperty("code").GetString());
        var lastSeq = rest[^1].GetProperty("event_seq").GetInt64();

        // Reconnect: hello.resume {session_id, resume_token, last_event_seq}, one seq back.
        client.Abort();
        await client.DisposeAsync();
        await using var again = await _host.ConnectAsync();
        await again.SendAsync("session.hello", new JsonObject
        {
            ["client"] = new JsonObject { ["name"] = "@arcp/client", ["version"] = "1.1.0" },
            ["auth"] = new JsonObject { ["scheme"] = "bearer", ["token"] = "tok-alice" },
            ["capabilities"] = new JsonObject { ["features"] = new JsonArray("progress", "ack") },
            ["resume"] = new JsonObject { ["session_id"] = sessionId, ["resume_token"] = payload.GetProperty("resume_token").GetString(), ["last_event_seq"] = lastSeq - 1 },
        }, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K5E");
        var resumed = await ReceiveAsync(again);
        Assert.Equal("session.welcome", Type(resumed));
        Assert.Equal(sessionId, resumed.GetProperty("session_id").GetString());
        Assert.NotEqual(payload.GetProperty("resume_token").GetString(), resumed.GetProperty("payload").GetProperty("resume_token").GetString());
        var replayed = await ReceiveAsync(again);
        Assert.Equal(lastSeq, replayed.GetProperty("event_seq").GetInt64());
        Assert.Equal(rest[^1].GetProperty("id").GetString(), replayed.GetProperty("id").GetString());
        Assert.True(seen.GetProperty("event_seq").GetInt64() < lastSeq);

        // Close with session.bye.
        await again.SendAsync("session.bye", new JsonObject { ["reason"] = "done" }, sessionId: sessionId, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K5F");
        Assert.Equal("session.closed", Type((await again.ReceiveTypeAsync("session.closed")).Match));
    }

    [Fact]
    public async Task RubyClient_FlatClientFieldsUuidIdsReplyToResumeByTokenBye()
    {
        // Handshake: flat client fields, a bare UUIDv7 id and a session id of the client's choosing (ignored).
        var client = await _host.ConnectAsync();
        await client.SendAsync("session.hello", new JsonObject
        {
            ["client_name"] = "arcp-ruby",
            ["client_version"] = "1.1.0",
            ["auth"] = new JsonObject { ["scheme"] = "bearer", ["token"] = "tok-alice" },
            ["capabilities"] = new JsonObject { ["features"] = new JsonArray("progress", "list_jobs") },
        }, sessionId: "sess_chosen_by_ruby", id: Guid.CreateVersion7().ToString());
        var welcome = await ReceiveAsync(client);
        Assert.Equal("session.welcome", Type(welcome));
        var sessionId = welcome.GetProperty("session_id").GetString()!;
        Assert.NotEqual("sess_chosen_by_ruby", sessionId);
        Assert.False(string.IsNullOrEmpty(welcome.GetProperty("payload").GetProperty("runtime_name").GetString()));
        Assert.False(string.IsNullOrEmpty(welcome.GetProperty("payload").GetProperty("runtime_version").GetString()));

        // Submit correlated by reply_to; every envelope carries the session id.
        var submitId = Guid.CreateVersion7().ToString();
        await client.SendAsync("job.submit", new JsonObject { ["agent"] = "countdown", ["input"] = new JsonObject { ["steps"] = 300, ["interval_ms"] = 50 } }, sessionId: sessionId, id: submitId);
        var (accepted, _) = await client.ReceiveTypeAsync("job.accepted");
        Assert.Equal(submitId, accepted.GetProperty("payload").GetProperty("reply_to").GetString());
        var jobId = accepted.GetProperty("payload").GetProperty("job_id").GetString()!;
        var (firstEvent, _) = await client.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out _));

        // Listing correlated by reply_to too.
        var listId = Guid.CreateVersion7().ToString();
        await client.SendAsync("session.list_jobs", new JsonObject(), sessionId: sessionId, id: listId);
        var (jobs, _) = await client.ReceiveTypeAsync("session.jobs");
        Assert.Equal(listId, jobs.GetProperty("payload").GetProperty("reply_to").GetString());
        Assert.Equal(listId, jobs.GetProperty("payload").GetProperty("request_id").GetString());
        Assert.Contains(jobs.GetProperty("payload").GetProperty("jobs").EnumerateArray(), j => j.GetProperty("job_id").GetString() == jobId);

        // Reconnect: hello.resume {token, last_event_seq} (no session id).
        client.Abort();
        await client.DisposeAsync();
        var again = await _host.ConnectAsync();
        await again.SendAsync("session.hello", new JsonObject
        {
            ["client_name"] = "arcp-ruby",
            ["client_version"] = "1.1.0",
            ["auth"] = new JsonObject { ["scheme"] = "bearer", ["token"] = "tok-alice" },
            ["capabilities"] = new JsonObject { ["features"] = new JsonArray("progress", "list_jobs") },
            ["resume"] = new JsonObject { ["token"] = welcome.GetProperty("payload").GetProperty("resume_token").GetString(), ["last_event_seq"] = firstEvent.GetProperty("event_seq").GetInt64() },
        }, sessionId: sessionId, id: Guid.CreateVersion7().ToString());
        var resumed = await ReceiveAsync(again);
        Assert.Equal("session.welcome", Type(resumed));
        Assert.Equal(sessionId, resumed.GetProperty("session_id").GetString());
        var (next, _) = await again.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out _));
        Assert.Equal(firstEvent.GetProperty("event_seq").GetInt64() + 1, next.GetProperty("event_seq").GetInt64());

        // Cancel with the job id in the payload; the reply carries it in the payload as Ruby reads it.
        await again.SendAsync("job.cancel", new JsonObject { ["job_id"] = jobId, ["reason"] = "user" }, sessionId: sessionId, id: Guid.CreateVersion7().ToString());
        var (cancelled, _) = await again.ReceiveTypeAsync("job.cancelled");
        Assert.Equal(jobId, cancelled.GetProperty("payload").GetProperty("job_id").GetString());
        Assert.Equal("user", cancelled.GetProperty("payload").GetProperty("reason").GetString());
        var rest = await again.ReceiveThroughTerminalAsync(jobId);
        Assert.Equal(jobId, rest[^1].GetProperty("payload").GetProperty("job_id").GetString());
        Assert.Equal("cancelled", rest[^1].GetProperty("payload").GetProperty("final_status").GetString());

        await again.SendAsync("session.bye", new JsonObject(), sessionId: sessionId, id: Guid.CreateVersion7().ToString());
        await again.ReceiveTypeAsync("session.closed");
        await again.DisposeAsync();
    }

    [Fact]
    public async Task CSharpClient_TimestampedRejectionAsSessionErrorFlatResumeBareResumeClose()
    {
        // Handshake: timestamped envelopes, nested client, required capabilities.
        var client = await _host.ConnectAsync();
        await client.SendAsync("session.hello", new JsonObject
        {
            ["client"] = new JsonObject { ["name"] = "Arcp.Client", ["version"] = "1.1.0" },
            ["auth"] = new JsonObject { ["scheme"] = "bearer", ["token"] = "tok-alice" },
            ["capabilities"] = new JsonObject { ["features"] = new JsonArray("progress", "ack", "heartbeat") },
        }, timestamp: true, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K6A");
        var welcome = await ReceiveAsync(client);
        var sessionId = welcome.GetProperty("session_id").GetString()!;
        var token = welcome.GetProperty("payload").GetProperty("resume_token").GetString()!;

        // A rejected submission comes back as session.error (the only channel the C# client reads rejections on).
        await client.SendAsync("job.submit", new JsonObject { ["agent"] = "no-such-agent" }, sessionId: sessionId, timestamp: true, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K6B");
        var (rejected, _) = await client.ReceiveTypeAsync("session.error");
        Assert.Equal("AGENT_NOT_AVAILABLE", rejected.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal("msg_01KRF6T2Y6D3TQ8W1M2H3J4K6B", rejected.GetProperty("payload").GetProperty("reply_to").GetString());

        // Accepted in FIFO order, then events.
        await client.SendAsync("job.submit", new JsonObject { ["agent"] = "countdown", ["input"] = new JsonObject { ["steps"] = 300, ["interval_ms"] = 40 } }, sessionId: sessionId, timestamp: true, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K6C");
        var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("payload").GetProperty("job_id").GetString()!;
        var (first, _) = await client.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out _));

        // Reconnect 1: the resume fields flat in the hello payload.
        client.Abort();
        await client.DisposeAsync();
        var second = await _host.ConnectAsync();
        await second.SendAsync("session.hello", new JsonObject
        {
            ["client"] = new JsonObject { ["name"] = "Arcp.Client", ["version"] = "1.1.0" },
            ["auth"] = new JsonObject { ["scheme"] = "bearer", ["token"] = "tok-alice" },
            ["capabilities"] = new JsonObject { ["features"] = new JsonArray("progress", "ack") },
            ["session_id"] = sessionId,
            ["resume_token"] = token,
            ["last_event_seq"] = first.GetProperty("event_seq").GetInt64(),
        }, timestamp: true, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K6D");
        var rewelcome = await ReceiveAsync(second);
        Assert.Equal(sessionId, rewelcome.GetProperty("session_id").GetString());
        var (afterFlat, _) = await second.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out _));
        Assert.Equal(first.GetProperty("event_seq").GetInt64() + 1, afterFlat.GetProperty("event_seq").GetInt64());
        token = rewelcome.GetProperty("payload").GetProperty("resume_token").GetString()!;

        // Reconnect 2: a bare session.resume as the first message (no hello, no welcome; the token stays the same).
        second.Abort();
        await second.DisposeAsync();
        await using var third = await _host.ConnectAsync();
        await third.SendAsync("session.resume", new JsonObject
        {
            ["session_id"] = sessionId,
            ["resume_token"] = token,
            ["last_event_seq"] = afterFlat.GetProperty("event_seq").GetInt64(),
        }, sessionId: sessionId, timestamp: true, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K6E");
        var replay = await ReceiveAsync(third);
        Assert.Equal(afterFlat.GetProperty("event_seq").GetInt64() + 1, replay.GetProperty("event_seq").GetInt64());
        Assert.Equal(jobId, replay.GetProperty("job_id").GetString());

        // The resumed connection holds the session's cancel authority; session.close is answered with session.closed.
        await third.SendAsync("job.cancel", new JsonObject { ["job_id"] = jobId }, sessionId: sessionId, jobId: jobId, timestamp: true, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K6F");
        await third.ReceiveTypeAsync("job.cancelled");
        var rest = await third.ReceiveThroughTerminalAsync(jobId);
        Assert.Equal("CANCELLED", rest[^1].GetProperty("payload").GetProperty("code").GetString());
        await third.SendAsync("session.close", new JsonObject { ["reason"] = "done" }, sessionId: sessionId, timestamp: true, id: "msg_01KRF6T2Y6D3TQ8W1M2H3J4K6G");
        var (closed, _) = await third.ReceiveTypeAsync("session.closed");
        Assert.Equal(sessionId, closed.GetProperty("session_id").GetString());
    }

    private static async Task<JsonElement> ReceiveAsync(ArcpTestClient client) =>
        await client.ReceiveAsync(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("the server closed the connection");

    private static string Type(JsonElement envelope) => envelope.GetProperty("type").GetString()!;
}

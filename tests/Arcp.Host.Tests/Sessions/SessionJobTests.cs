using System.Text.Json;

namespace Arcp.Host.Tests.Sessions;

[Collection(AzuriteCollection.Name)]
public sealed class SessionJobTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Trace = "5f0c2a9e8d7b6a5f4e3d2c1b0a998877";
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Submit_Echo_AcceptedWithoutSeqThenResultSeq1TraceEchoed()
    {
        var (client, welcome) = await _host.OpenSessionAsync();
        await using var _client = client;

        var submitId = await client.SendAsync("job.submit", new { agent = "echo", input = new { hello = "world" } }, traceId: Trace);
        var (accepted, _) = await client.ReceiveTypeAsync("job.accepted");
        var jobId = accepted.GetProperty("job_id").GetString()!;
        var events = await client.ReceiveThroughTerminalAsync(jobId);

        Assert.False(accepted.TryGetProperty("event_seq", out _));
        Assert.Equal(Trace, accepted.GetProperty("trace_id").GetString());
        Assert.Equal(Trace, accepted.GetProperty("payload").GetProperty("trace_id").GetString());
        Assert.Equal(submitId, accepted.GetProperty("payload").GetProperty("reply_to").GetString());
        Assert.Equal("echo@1.0.0", accepted.GetProperty("payload").GetProperty("agent").GetString());
        Assert.Equal(JsonValueKind.Object, accepted.GetProperty("payload").GetProperty("lease").ValueKind);
        var result = Assert.Single(events);
        Assert.Equal(1, result.GetProperty("event_seq").GetInt64());
        Assert.Equal(welcome.GetProperty("session_id").GetString(), result.GetProperty("session_id").GetString());
        Assert.Equal("world", result.GetProperty("payload").GetProperty("result").GetProperty("hello").GetString());
        Assert.Equal(jobId, result.GetProperty("payload").GetProperty("job_id").GetString());
    }

    [Fact]
    public async Task TwoJobs_OneSession_SingleGapFreeSeqSequence()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;

        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 5, interval_ms = 10 } });
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 5, interval_ms = 10 } });
        var (first, _) = await client.ReceiveTypeAsync("job.accepted");
        var (second, between) = await client.ReceiveTypeAsync("job.accepted");
        var seen = new List<JsonElement>(between);
        var terminals = 0;
        while (terminals < 2)
        {
            var next = (await client.ReceiveAsync())!.Value;
            seen.Add(next);
            terminals += next.GetProperty("type").GetString() is "job.result" or "job.error" ? 1 : 0;
        }

        var seqs = seen.Where(e => e.TryGetProperty("event_seq", out _)).Select(e => e.GetProperty("event_seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), seqs);
        Assert.Equal(6, seen.Count(e => e.GetProperty("job_id").GetString() == first.GetProperty("job_id").GetString()));
        Assert.Equal(6, seen.Count(e => e.GetProperty("job_id").GetString() == second.GetProperty("job_id").GetString()));
    }

    [Fact]
    public async Task Cancel_Running_CancelledBeforeTerminalCancelledError()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 1000, interval_ms = 10 } });
        var (accepted, _) = await client.ReceiveTypeAsync("job.accepted");
        var jobId = accepted.GetProperty("job_id").GetString()!;
        await client.ReceiveTypeAsync("job.event");

        await client.SendAsync("job.cancel", new { job_id = jobId, reason = "stop" });
        var (cancelled, _) = await client.ReceiveTypeAsync("job.cancelled");
        var rest = await client.ReceiveThroughTerminalAsync(jobId);

        Assert.Equal(jobId, cancelled.GetProperty("job_id").GetString());
        Assert.Equal(jobId, cancelled.GetProperty("payload").GetProperty("job_id").GetString());
        var terminal = rest[^1].GetProperty("payload");
        Assert.Equal("CANCELLED", terminal.GetProperty("code").GetString());
        Assert.Equal("cancelled", terminal.GetProperty("final_status").GetString());
    }

    [Fact]
    public async Task Cancel_EnvelopeJobIdOnly_Accepted()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 1000, interval_ms = 10 } });
        var (accepted, _) = await client.ReceiveTypeAsync("job.accepted");
        var jobId = accepted.GetProperty("job_id").GetString()!;

        await client.SendAsync("job.cancel", new { }, jobId: jobId);
        var (cancelled, _) = await client.ReceiveTypeAsync("job.cancelled");

        Assert.Equal(jobId, cancelled.GetProperty("job_id").GetString());
        await client.ReceiveThroughTerminalAsync(jobId);
    }

    [Fact]
    public async Task Cancel_UnknownJob_JobNotFound()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;

        var id = await client.SendAsync("job.cancel", new { job_id = "job_01HZZZZZZZZZZZZZZZZZZZZZZZ" });
        var error = await client.ReceiveAsync();

        Assert.Equal("JOB_NOT_FOUND", error!.Value.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal(id, error.Value.GetProperty("payload").GetProperty("reply_to").GetString());
    }

    [Fact]
    public async Task Cancel_FromSecondSessionSamePrincipal_PermissionDeniedJobCompletes()
    {
        var (owner, _) = await _host.OpenSessionAsync();
        var (other, _) = await _host.OpenSessionAsync("tok-alice-2");
        await using var _owner = owner;
        await using var _other = other;
        await owner.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 5, interval_ms = 50 } });
        var jobId = (await owner.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;

        await other.SendAsync("job.cancel", new { job_id = jobId });
        var refused = await other.ReceiveAsync();
        var events = await owner.ReceiveThroughTerminalAsync(jobId);

        Assert.Equal("PERMISSION_DENIED", refused!.Value.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal("job.result", events[^1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Cancel_AfterFinish_NothingSentNothingChanged()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;
        await client.SendAsync("job.submit", new { agent = "echo", input = 1 });
        var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        await client.ReceiveThroughTerminalAsync(jobId);

        await client.SendAsync("job.cancel", new { job_id = jobId });
        await client.SendAsync("session.ping", new { nonce = "after", sent_at = "2026-05-13T10:00:00.000Z" });
        var next = await client.ReceiveAsync();

        Assert.Equal("session.pong", next!.Value.GetProperty("type").GetString());
        var state = await _host.Jobs.GetAsync(jobId, default);
        Assert.Equal(Arcp.Protocol.Messages.JobStatus.Success, state!.Status);
        Assert.Equal(1, state.EventCount);
    }

    [Theory]
    [InlineData("nope", "AGENT_NOT_AVAILABLE", true)]
    [InlineData("echo@7.7.7", "AGENT_VERSION_NOT_AVAILABLE", false)]
    [InlineData("Echo", "INVALID_REQUEST", false)]
    public async Task Submit_BadAgent_SessionErrorWithReplyTo(string agent, string code, bool retryable)
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;

        var id = await client.SendAsync("job.submit", new { agent });
        var error = await client.ReceiveAsync();

        Assert.Equal("session.error", error!.Value.GetProperty("type").GetString());
        Assert.Equal(code, error.Value.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal(retryable, error.Value.GetProperty("payload").GetProperty("retryable").GetBoolean());
        Assert.Equal(id, error.Value.GetProperty("payload").GetProperty("reply_to").GetString());
    }

    [Theory]
    [InlineData("2020-01-01T00:00:00Z")]
    [InlineData("2099-01-01T00:00:00+00:00")]
    public async Task Submit_BadExpiresAt_InvalidRequest(string expiresAt)
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;

        await client.SendAsync("job.submit", new { agent = "echo", lease_constraints = new { expires_at = expiresAt } });
        var error = await client.ReceiveAsync();

        Assert.Equal("INVALID_REQUEST", error!.Value.GetProperty("payload").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Submit_BudgetLease_EchoedAsInitialCounters()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;

        await client.SendAsync("job.submit", new { agent = "echo", lease_request = new Dictionary<string, string[]> { ["cost.budget"] = ["USD:2.50"] } });
        var (accepted, _) = await client.ReceiveTypeAsync("job.accepted");

        Assert.Equal(2.5m, accepted.GetProperty("payload").GetProperty("budget").GetProperty("USD").GetDecimal());
    }

    [Fact]
    public async Task Submit_IdempotentReplay_SameJobIdAgentRunsOnce()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;

        await client.SendAsync("job.submit", new { agent = "echo", input = new { a = 1, b = 2 }, idempotency_key = "k-1" });
        var (first, _) = await client.ReceiveTypeAsync("job.accepted");
        var jobId = first.GetProperty("job_id").GetString()!;
        await client.ReceiveThroughTerminalAsync(jobId);
        await client.SendRawAsync("""{"arcp":"1.1","id":"msg_replay","type":"job.submit","payload":{"agent":"echo","input":{"b":2,"a":1},"idempotency_key":"k-1"}}""");
        var (second, _) = await client.ReceiveTypeAsync("job.accepted");
        await client.SendAsync("job.submit", new { agent = "echo", input = 3, idempotency_key = "k-1" });
        var conflict = await client.ReceiveAsync();

        Assert.Equal(jobId, second.GetProperty("job_id").GetString());
        Assert.Equal(first.GetProperty("payload").GetProperty("accepted_at").GetString(), second.GetProperty("payload").GetProperty("accepted_at").GetString());
        Assert.Equal("DUPLICATE_KEY", conflict!.Value.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal(jobId, conflict.Value.GetProperty("payload").GetProperty("details").GetProperty("existing_job_id").GetString());
        Assert.Equal(1, (await _host.Jobs.GetAsync(jobId, default))!.EventCount);
    }
}

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Arcp.Host.Tests.Sessions;

[Collection(AzuriteCollection.Name)]
public sealed class SessionListAndSubscribeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ListJobs_NotNegotiated_InvalidRequestAndSubscribeToo()
    {
        var (client, _) = await _host.OpenSessionAsync("tok-alice", "ack");
        await using var _client = client;

        await client.SendAsync("session.list_jobs", new { });
        var list = await client.ReceiveAsync();
        await client.SendAsync("job.subscribe", new { job_id = "job_x" });
        var subscribe = await client.ReceiveAsync();

        Assert.Equal("INVALID_REQUEST", list!.Value.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal("INVALID_REQUEST", subscribe!.Value.GetProperty("payload").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ListJobs_FiltersPagingAndRequestId_OwnJobsOnlyNoCredentials()
    {
        var (alice, _) = await _host.OpenSessionAsync();
        var (bob, _) = await _host.OpenSessionAsync("tok-bob");
        await using var _alice = alice;
        await using var _bob = bob;
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await alice.SendAsync("job.submit", new { agent = i < 3 ? "echo" : "countdown", input = new { steps = 1, interval_ms = 1 } });
            var jobId = (await alice.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
            await alice.ReceiveThroughTerminalAsync(jobId);
            ids.Add(jobId);
        }

        await bob.SendAsync("job.submit", new { agent = "echo" });
        await bob.ReceiveTypeAsync("job.accepted");

        // Paging with limit 2 visits every job exactly once; the last page has next_cursor null.
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var requestId = await alice.SendAsync("session.list_jobs", new { limit = 2, cursor });
            var (page, _) = await alice.ReceiveTypeAsync("session.jobs");
            Assert.Equal(requestId, page.GetProperty("payload").GetProperty("request_id").GetString());
            Assert.True(page.GetProperty("payload").TryGetProperty("next_cursor", out var next));
            foreach (var job in page.GetProperty("payload").GetProperty("jobs").EnumerateArray())
            {
                Assert.False(job.TryGetProperty("credentials", out _));
                Assert.True(job.TryGetProperty("lease", out _));
                Assert.True(job.GetProperty("last_event_seq").GetInt64() > 0);
                seen.Add(job.GetProperty("job_id").GetString()!);
            }

            cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetString();
        }
        while (cursor is not null);

        Assert.Equal(ids, seen);

        await alice.SendAsync("session.list_jobs", new { filter = new { agent = "countdown", status = new[] { "success" } } });
        var (filtered, _) = await alice.ReceiveTypeAsync("session.jobs");
        Assert.Equal(ids.Skip(3), filtered.GetProperty("payload").GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("job_id").GetString()));

        await alice.SendAsync("session.list_jobs", new { filter = new { agent = "echo@1.0.0" } });
        var (pinned, _) = await alice.ReceiveTypeAsync("session.jobs");
        Assert.Equal(3, pinned.GetProperty("payload").GetProperty("jobs").GetArrayLength());

        await alice.SendAsync("session.list_jobs", new { cursor = "!!not-a-cursor!!" });
        var (malformed, _) = await alice.ReceiveTypeAsync("session.jobs");
        Assert.Equal(5, malformed.GetProperty("payload").GetProperty("jobs").GetArrayLength());
    }

    [Fact]
    public async Task Subscribe_WithHistoryFromAnotherSession_HistoryThenLiveExactlyOnceRestamped()
    {
        var (owner, _) = await _host.OpenSessionAsync();
        var (observer, observerWelcome) = await _host.OpenSessionAsync("tok-alice-2");
        await using var _owner = owner;
        await using var _observer = observer;
        await owner.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 12, interval_ms = 40 } });
        var jobId = (await owner.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        await owner.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out var s) && s.GetInt64() >= 3);

        var subscribeId = await observer.SendAsync("job.subscribe", new { job_id = jobId, history = true });
        var (subscribed, _) = await observer.ReceiveTypeAsync("job.subscribed");
        var observed = await observer.ReceiveThroughTerminalAsync(jobId);
        var owned = await owner.ReceiveThroughTerminalAsync(jobId);

        var payload = subscribed.GetProperty("payload");
        Assert.Equal(jobId, subscribed.GetProperty("job_id").GetString());
        Assert.Equal(subscribeId, payload.GetProperty("reply_to").GetString());
        Assert.Equal("countdown@1.0.0", payload.GetProperty("agent").GetString());
        Assert.Equal("running", payload.GetProperty("current_status").GetString());
        Assert.True(payload.GetProperty("replayed").GetBoolean());
        Assert.True(payload.TryGetProperty("lease", out _));
        Assert.True(payload.GetProperty("subscribed_from").GetInt64() >= 3);
        var currents = observed.Where(e => e.GetProperty("type").GetString() == "job.event").Select(e => e.GetProperty("payload").GetProperty("body").GetProperty("current").GetDouble()).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (double)i), currents);
        Assert.Equal(Enumerable.Range(1, 13).Select(i => (long)i), observed.Select(e => e.GetProperty("event_seq").GetInt64()));
        Assert.All(observed, e => Assert.Equal(observerWelcome.GetProperty("session_id").GetString(), e.GetProperty("session_id").GetString()));
        Assert.Empty(observed.Select(e => e.GetProperty("id").GetString()).Intersect(owned.Select(e => e.GetProperty("id").GetString())));
    }

    [Fact]
    public async Task Subscribe_FromEventSeq_ExcludesThatSeq()
    {
        var (owner, _) = await _host.OpenSessionAsync();
        var (observer, _) = await _host.OpenSessionAsync("tok-alice-2");
        await using var _owner = owner;
        await using var _observer = observer;
        await owner.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 4, interval_ms = 1 } });
        var jobId = (await owner.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        await owner.ReceiveThroughTerminalAsync(jobId);

        await observer.SendAsync("job.subscribe", new { job_id = jobId, history = true, from_event_seq = 2 });
        var (subscribed, _) = await observer.ReceiveTypeAsync("job.subscribed");
        var replay = await observer.ReceiveThroughTerminalAsync(jobId);

        Assert.Equal("success", subscribed.GetProperty("payload").GetProperty("current_status").GetString());
        Assert.Equal([3.0, 4.0], replay.Where(e => e.GetProperty("type").GetString() == "job.event").Select(e => e.GetProperty("payload").GetProperty("body").GetProperty("current").GetDouble()));
    }

    [Fact]
    public async Task Subscribe_EveryDecisionAudited_WithSubscriberJobTargetAndOutcome()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await ArcpTestHost.StartAsync(
            azurite.ConnectionString,
            null,
            services => services.AddLogging(b => b.AddProvider(logs)),
            "--Logging:LogLevel:Arcp.Runtime.Sessions=Information");
        var (owner, _) = await host.OpenSessionAsync();
        var (colleague, _) = await host.OpenSessionAsync("tok-alice-2");
        var (bob, _) = await host.OpenSessionAsync("tok-bob");
        await using var _owner = owner;
        await using var _colleague = colleague;
        await using var _bob = bob;
        await owner.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 3, interval_ms = 10 } });
        var jobId = (await owner.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;

        await bob.SendAsync("job.subscribe", new { job_id = jobId, history = true });
        await bob.ReceiveTypeAsync("session.error");
        await colleague.SendAsync("job.subscribe", new { job_id = jobId, history = true });
        await colleague.ReceiveTypeAsync("job.subscribed");

        var audit = logs.Lines.Where(l => l.StartsWith("[2221]", StringComparison.Ordinal)).ToList();
        Assert.Contains(audit, l => l.Contains($"Subscribe by bob to job {jobId} of alice: allowed False", StringComparison.Ordinal));
        Assert.Contains(audit, l => l.Contains($"Subscribe by alice to job {jobId} of alice: allowed True", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("tok-", StringComparison.Ordinal));
        await owner.ReceiveThroughTerminalAsync(jobId);
    }

    [Fact]
    public async Task Subscribe_OtherPrincipalOrUnknownJob_SamePermissionDeniedAnswer()
    {
        var (owner, _) = await _host.OpenSessionAsync();
        var (bob, _) = await _host.OpenSessionAsync("tok-bob");
        await using var _owner = owner;
        await using var _bob = bob;
        await owner.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 3, interval_ms = 10 } });
        var jobId = (await owner.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;

        await bob.SendAsync("job.subscribe", new { job_id = jobId, history = true });
        var foreign = (await bob.ReceiveAsync())!.Value.GetProperty("payload");
        await bob.SendAsync("job.subscribe", new { job_id = "job_01HZZZZZZZZZZZZZZZZZZZZZZZ", history = true });
        var unknown = (await bob.ReceiveAsync())!.Value.GetProperty("payload");
        await bob.SendAsync("job.cancel", new { job_id = jobId });
        var cancel = (await bob.ReceiveAsync())!.Value.GetProperty("payload");
        await bob.SendAsync("session.list_jobs", new { });
        var (list, _) = await bob.ReceiveTypeAsync("session.jobs");

        Assert.Equal("PERMISSION_DENIED", foreign.GetProperty("code").GetString());
        Assert.Equal(foreign.GetProperty("code").GetString(), unknown.GetProperty("code").GetString());
        Assert.Equal(foreign.GetProperty("message").GetString(), unknown.GetProperty("message").GetString());
        Assert.Equal("JOB_NOT_FOUND", cancel.GetProperty("code").GetString());
        Assert.DoesNotContain(list.GetProperty("payload").GetProperty("jobs").EnumerateArray(), j => j.GetProperty("job_id").GetString() == jobId);
        await owner.ReceiveThroughTerminalAsync(jobId);
    }

    [Fact]
    public async Task Unsubscribe_StopsFurtherEvents()
    {
        var (owner, _) = await _host.OpenSessionAsync();
        var (observer, _) = await _host.OpenSessionAsync("tok-alice-2");
        await using var _owner = owner;
        await using var _observer = observer;
        await owner.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 30, interval_ms = 30 } });
        var jobId = (await owner.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        await observer.SendAsync("job.subscribe", new { job_id = jobId });
        await observer.ReceiveTypeAsync("job.subscribed");
        await observer.ReceiveTypeAsync("job.event");

        await observer.SendAsync("job.unsubscribe", new { job_id = jobId });
        await owner.ReceiveThroughTerminalAsync(jobId);
        await observer.SendAsync("session.ping", new { nonce = "fence", sent_at = "2026-05-13T10:00:00.000Z" });
        var (_, before) = await observer.ReceiveUntilAsync(e => e.GetProperty("type").GetString() == "session.pong");
        await Task.Delay(400);
        await observer.SendAsync("session.ping", new { nonce = "fence2", sent_at = "2026-05-13T10:00:00.000Z" });
        var (_, after) = await observer.ReceiveUntilAsync(e => e.GetProperty("type").GetString() == "session.pong");

        Assert.Empty(after);
        Assert.DoesNotContain(before.Concat(after), e => e.GetProperty("type").GetString() == "job.result");
    }
}

using System.Diagnostics;
using System.Text.Json;
using Arcp.Azure.Jobs;
using Arcp.Azure.Sessions;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Host.Tests.Sessions;

/// <summary>
/// A connected session with no job left to deliver costs (close to) no storage: its delivery poll backs off to the
/// idle ceiling, and a resumed session does not keep reading the jobs it already has in full. Events written by
/// another node, which no local signal announces, still arrive: within the idle ceiling, or at the live poll rate for
/// a child whose subscription was written before its parent ended.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class IdleDeliveryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(8);
    private static readonly string[] Features = [.. ArcpTestClient.AllFeatures.Where(f => f != "heartbeat")];
    private readonly StorageRequestCounter _requests = new();
    private readonly string _prefix = "i" + Guid.NewGuid().ToString("N")[..10];
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(
        azurite.ConnectionString,
        _prefix,
        services => services.AddSingleton(_requests.ForRuntime()),
        $"--Arcp:Sessions:IdleDeliveryPollCeiling={Ceiling}");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task IdleSessions_OverAWindow_ReadTheSessionTableAboutOncePerCeiling()
    {
        // Arrange: twenty sessions that never submitted and one whose job ended, all past their poll's ramp.
        const int Sessions = 20;
        var clients = new List<ArcpTestClient>();
        for (var i = 0; i < Sessions; i++)
        {
            clients.Add((await _host.OpenSessionAsync("tok-alice", Features)).Client);
        }

        var (finished, _) = await _host.OpenSessionAsync("tok-alice", Features);
        clients.Add(finished);
        await RunEchoAsync(finished);
        await Task.Delay(Ceiling * 2);
        _requests.Reset();

        // Act
        var window = Ceiling * 3;
        await Task.Delay(window);
        var sessionTable = _requests.Touching(_prefix + "sessions").Count;
        var jobReads = JobStateReads();

        // Assert: at most one seq-row read per session per ceiling (+1 for where the window cuts); the 2 s idle poll
        // this replaced read ~12 per session here, and the signal hub's stale-key sweep woke each one every 30 s.
        Assert.True(sessionTable <= clients.Count * ((int)(window / Ceiling) + 1), $"{sessionTable} session-table requests for {clients.Count} idle sessions in {window}");
        Assert.Empty(jobReads);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task ResumedSession_WithFinishedJobs_DoesNotReadThoseJobsAgain()
    {
        // Arrange: two jobs run to their terminals, then the connection drops and the session resumes after them.
        var (client, welcome) = await _host.OpenSessionAsync("tok-alice", Features);
        await RunEchoAsync(client);
        var lastSeq = await RunEchoAsync(client);
        client.Abort();
        await client.DisposeAsync();
        await using var resumed = await _host.ConnectAsync();
        var again = await resumed.HelloAsync("tok-alice", Features, new { resume_token = welcome.GetProperty("payload").GetProperty("resume_token").GetString(), last_event_seq = lastSeq });
        Assert.Equal("session.welcome", again.GetProperty("type").GetString());
        await Task.Delay(TimeSpan.FromSeconds(3));
        _requests.Reset();

        // Act
        await Task.Delay(TimeSpan.FromSeconds(6));

        // Assert: before, a resumed connection counted its finished jobs as live and read each one on every quiet poll.
        Assert.Empty(JobStateReads());
        Assert.True(_requests.Touching(_prefix + "sessions").Count <= 4, $"{_requests.Touching(_prefix + "sessions").Count} session-table requests");
    }

    [Fact]
    public async Task IdleSession_EventSyncedByAnotherNode_ArrivesWithinTheIdleCeiling()
    {
        // Arrange: a session whose job ended, backed off to the ceiling; another node (stores of their own, no shared
        // signals) then runs a job delegated into the session — as a child of a job that ran there — and fans it out.
        var (client, welcome) = await _host.OpenSessionAsync("tok-alice", Features);
        await using var _ = client;
        var sessionId = welcome.GetProperty("session_id").GetString()!;
        await RunEchoAsync(client);
        await Task.Delay(Ceiling * 2);
        var other = new OtherNode(azurite.ConnectionString, _prefix);
        var child = await other.SubmitAsync(sessionId, parentJobId: null);

        // Act
        var watch = Stopwatch.StartNew();
        await other.EmitAsync(sessionId, child, "from the other node");
        var (arrived, _) = await client.ReceiveUntilAsync(e => IsEventOf(e, child.JobId), Ceiling * 3);
        var delay = watch.Elapsed;

        // Assert
        Assert.Equal("from the other node", arrived.GetProperty("payload").GetProperty("body").GetProperty("message").GetString());
        Assert.True(delay <= Ceiling + TimeSpan.FromSeconds(2), $"arrived after {delay}, the idle ceiling is {Ceiling}");
    }

    [Fact]
    public async Task ChildSubscribedBeforeItsParentEnded_EventsAfterTheParentsTerminal_ArriveAtTheLivePollRate()
    {
        // Arrange: a parent job submitted for the session runs on another node and delegates a child before it ends.
        var (client, welcome) = await _host.OpenSessionAsync("tok-alice", Features);
        await using var _ = client;
        var sessionId = welcome.GetProperty("session_id").GetString()!;
        var other = new OtherNode(azurite.ConnectionString, _prefix);
        var parent = await other.SubmitAsync(sessionId, parentJobId: null);
        parent = await other.EmitAsync(sessionId, parent, "parent started");
        await client.ReceiveUntilAsync(e => IsEventOf(e, parent.JobId), Ceiling * 3);
        var child = await other.SubmitAsync(sessionId, parent.JobId);
        await other.FinishAsync(sessionId, parent);
        await client.ReceiveUntilAsync(e => e.GetProperty("type").GetString() == "job.result" && e.GetProperty("job_id").GetString() == parent.JobId, Ceiling * 3);

        // Act: the child's first event comes well after the parent's terminal, once an idle poll would have backed off.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var watch = Stopwatch.StartNew();
        await other.EmitAsync(sessionId, child, "child speaks");
        await client.ReceiveUntilAsync(e => IsEventOf(e, child.JobId), Ceiling * 3);
        var delay = watch.Elapsed;

        // Assert: the child was found live when the parent's terminal went out, so it is polled at the live rate.
        Assert.True(delay < TimeSpan.FromSeconds(2.5), $"the child's event arrived after {delay}");
    }

    /// <summary>Point reads of job rows (what a delivery pull costs; the sweeps query the tables instead).</summary>
    private List<StorageRequest> JobStateReads() => [.. _requests.Touching(_prefix + "jobs").Where(r => r.Method == "GET" && r.Path.Contains("PartitionKey=", StringComparison.Ordinal))];

    private static bool IsEventOf(JsonElement envelope, string jobId) =>
        envelope.GetProperty("type").GetString() == "job.event" && envelope.TryGetProperty("job_id", out var id) && id.GetString() == jobId;

    /// <summary>Runs an <c>echo</c> job through its terminal; returns the terminal's seq.</summary>
    private static async Task<long> RunEchoAsync(ArcpTestClient client)
    {
        await client.SendAsync("job.submit", new { agent = "echo", input = new { text = "hi" } });
        var jobId = (await client.ReceiveTypeAsync("job.accepted", TimeSpan.FromSeconds(30))).Match.GetProperty("job_id").GetString()!;
        var events = await client.ReceiveThroughTerminalAsync(jobId, TimeSpan.FromSeconds(60));
        return events[^1].GetProperty("event_seq").GetInt64();
    }

    /// <summary>Another node on the same storage: its own clients and stores, none of this host's in-process signals.</summary>
    private sealed class OtherNode(string connectionString, string prefix)
    {
        private readonly TableJobStore _jobs = new(new StorageRequestCounter().CountedStorage(connectionString, prefix), TimeProvider.System);
        private readonly TableSessionStore _sessions = new(new StorageRequestCounter().CountedStorage(connectionString, prefix), TimeProvider.System);

        public async Task<JobState> SubmitAsync(string sessionId, string? parentJobId)
        {
            var definition = new JobDefinition(
                "job_" + Guid.NewGuid().ToString("N"), "alice", sessionId, "echo@1.0.0", "{}", null, null, null, Guid.NewGuid().ToString("N"), parentJobId, DateTimeOffset.UtcNow, new Dictionary<string, decimal>(), ["progress"]);
            Assert.IsType<SubscribeResult.Added>(await _sessions.SubscribeAsync(sessionId, new SessionSubscription(definition.JobId, IsSubmitter: true, definition.TraceId, Redact: false, 0, 0), default));
            Assert.True(await _jobs.CreateAsync(definition, "{}", default));
            return Assert.IsType<ClaimResult.Claimed>(await _jobs.TryClaimAsync(definition.JobId, "other-node", TimeSpan.FromMinutes(5), default)).State;
        }

        public async Task<JobState> EmitAsync(string sessionId, JobState job, string message)
        {
            var body = JsonSerializer.Serialize(new { kind = "log", ts = "2026-05-13T10:00:00.000Z", body = new { level = "info", message } });
            var appended = Assert.IsType<AppendResult.Appended>(await _jobs.AppendEventsAsync(job, [new NewJobEvent("job.event", body, DateTimeOffset.UtcNow, "msg_" + Guid.NewGuid().ToString("N"))], null, default)).State;
            await _sessions.SyncOutboxAsync(sessionId, job.JobId, appended.EventCount, default);
            return appended;
        }

        public async Task FinishAsync(string sessionId, JobState job)
        {
            var terminal = JobTermination.Create(JobStatus.Success, new NewJobEvent("job.result", """{"final_status":"success","result":{"ok":true}}""", DateTimeOffset.UtcNow, "msg_" + Guid.NewGuid().ToString("N")));
            Assert.IsType<FinishResult.Finished>(await _jobs.TryFinishAsync(job.JobId, terminal, [], job, default));
            var finished = await _jobs.GetAsync(job.JobId, default);
            await _sessions.SyncOutboxAsync(sessionId, job.JobId, finished!.EventCount, default);
        }
    }
}

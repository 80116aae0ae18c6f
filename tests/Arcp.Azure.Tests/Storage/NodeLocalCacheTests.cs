using Arcp.Azure.Jobs;
using Arcp.Azure.Sessions;
using Arcp.Azure.Storage;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Arcp.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Azure.Tests.Storage;

/// <summary>
/// The stores keep what this node last wrote (created job state, appended events, seq counter and subscription
/// versions) to save reads. Two store instances over one storage account stand for two nodes: whatever one node
/// writes behind the other's back, the other must fall back to storage and decide exactly as without its cache.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NodeLocalCacheTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 13, 10, 0, 0, TimeSpan.Zero));
    private ArcpStorage _storage = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _storage = new ArcpStorage(azurite.ConnectionString, "c" + Guid.NewGuid().ToString("N")[..12]);
        await _storage.EnsureCreatedAsync(CancellationToken.None);
    }

    async Task IAsyncLifetime.DisposeAsync() => await _storage.DeleteAllAsync(CancellationToken.None);

    [Fact]
    public async Task Claim_CreatedHereCancelledOnAnotherNode_CancelPending()
    {
        // Arrange: node A creates the job (and remembers it); node B records a cancel request.
        var nodeA = new TableJobStore(_storage, _time);
        var nodeB = new TableJobStore(_storage, _time);
        var definition = NewDefinition();
        Assert.True(await nodeA.CreateAsync(definition, "{}", default));
        Assert.IsType<CancelRequestResult.Requested>(await nodeB.RequestCancelAsync(definition.JobId, "stop", default));

        // Act
        var claim = await nodeA.TryClaimAsync(definition.JobId, "worker-a", TimeSpan.FromMinutes(1), default);

        // Assert: the stale remembered state lost to the stored one.
        var pending = Assert.IsType<ClaimResult.CancelPending>(claim);
        Assert.Equal("stop", pending.Current.CancelReason);
        Assert.Equal(JobStatus.Pending, (await nodeB.GetAsync(definition.JobId, default))!.Status);
    }

    [Fact]
    public async Task Claim_CreatedHereClaimedOnAnotherNode_HeldByOther()
    {
        var nodeA = new TableJobStore(_storage, _time);
        var nodeB = new TableJobStore(_storage, _time);
        var definition = NewDefinition();
        Assert.True(await nodeA.CreateAsync(definition, "{}", default));
        Assert.IsType<ClaimResult.Claimed>(await nodeB.TryClaimAsync(definition.JobId, "worker-b", TimeSpan.FromMinutes(1), default));

        var claim = await nodeA.TryClaimAsync(definition.JobId, "worker-a", TimeSpan.FromMinutes(1), default);

        Assert.Equal("worker-b", Assert.IsType<ClaimResult.HeldByOther>(claim).Current.Owner);
        Assert.Equal(1, (await nodeB.GetAsync(definition.JobId, default))!.Attempt);
    }

    [Fact]
    public async Task ReadEvents_JustAppendedHere_SameEnvelopesAsAFreshNodeReads()
    {
        // Arrange: node A appends in three batches (its reads are then served from memory).
        var nodeA = new TableJobStore(_storage, _time);
        var definition = NewDefinition();
        await nodeA.CreateAsync(definition, "{}", default);
        var state = Assert.IsType<ClaimResult.Claimed>(await nodeA.TryClaimAsync(definition.JobId, "w", TimeSpan.FromMinutes(1), default)).State;
        for (var batch = 0; batch < 3; batch++)
        {
            var events = Enumerable.Range(0, 5).Select(i => new NewJobEvent(
                "job.event",
                $$$"""{"kind":"log","ts":"2026-05-13T10:00:00.000Z","body":{"level":"info","message":"e{{{batch}}}.{{{i}}} é"}}""",
                _time.GetUtcNow().AddTicks(1234 + i),
                "msg_01KRF0000000000000000000" + batch + i)).ToList();
            state = Assert.IsType<AppendResult.Appended>(await nodeA.AppendEventsAsync(state, events, null, default)).State;
        }

        // Act
        var cached = Assert.IsType<JobEventRead.Events>(await nodeA.ReadEventsAsync(definition.JobId, 3, 100, default)).Items;
        var fresh = Assert.IsType<JobEventRead.Events>(await new TableJobStore(_storage, _time).ReadEventsAsync(definition.JobId, 3, 100, default)).Items;

        // Assert: the bytes a client receives are the same whichever node builds them.
        Assert.Equal(13, cached.Count);
        Assert.Equal(fresh.Select(e => e.Index), cached.Select(e => e.Index));
        for (var i = 0; i < fresh.Count; i++)
        {
            var entry = new OutboxEntry(i + 1, definition.JobId, fresh[i].Index, definition.TraceId, false, true);
            Assert.Equal(OutboxReader.Build("sess_x", entry, fresh[i]), OutboxReader.Build("sess_x", entry, cached[i]));
        }
    }

    [Fact]
    public async Task SyncOutbox_NodesTakingTurnsOnOneSession_GapFreeAndEveryEventOnce()
    {
        // Arrange: one session, two jobs; each node remembers the seq counter and subscription versions it wrote.
        var jobs = new TableJobStore(_storage, _time);
        var nodeA = new TableSessionStore(_storage);
        var nodeB = new TableSessionStore(_storage);
        var sessionId = "sess_" + Guid.NewGuid().ToString("N");
        Assert.True(await nodeA.CreateAsync(new SessionState { SessionId = sessionId, Principal = "alice", CreatedAt = _time.GetUtcNow() }, default));
        var one = await RunningJobAsync(jobs);
        var two = await RunningJobAsync(jobs);
        await nodeA.SubscribeAsync(sessionId, new SessionSubscription(one.JobId, true, one.Definition.TraceId, false, 0, 0), default);
        await nodeB.SubscribeAsync(sessionId, new SessionSubscription(two.JobId, true, two.Definition.TraceId, false, 0, 0), default);

        // Act: the nodes take turns, each time behind the other's back (stale remembered versions on every turn).
        long oneCount = 0, twoCount = 0;
        for (var turn = 0; turn < 6; turn++)
        {
            one = await AppendAsync(jobs, one, 2);
            await nodeA.SyncOutboxAsync(sessionId, one.JobId, oneCount = one.EventCount, default);
            two = await AppendAsync(jobs, two, 3);
            await nodeB.SyncOutboxAsync(sessionId, two.JobId, twoCount = two.EventCount, default);
        }

        // Assert
        var outbox = Assert.IsType<OutboxRead.Entries>(await new TableSessionStore(_storage).ReadOutboxAsync(sessionId, 0, 1000, default)).Items;
        Assert.Equal(Enumerable.Range(1, (int)(oneCount + twoCount)).Select(i => (long)i), outbox.Select(e => e.Seq));
        Assert.Equal(Enumerable.Range(1, (int)oneCount).Select(i => (long)i), outbox.Where(e => e.JobId == one.JobId).Select(e => e.JobEventIndex));
        Assert.Equal(Enumerable.Range(1, (int)twoCount).Select(i => (long)i), outbox.Where(e => e.JobId == two.JobId).Select(e => e.JobEventIndex));
    }

    private JobDefinition NewDefinition() => Contracts.ContractTestBase.Definition("job_" + Guid.NewGuid().ToString("N"), _time.GetUtcNow());

    private async Task<JobState> RunningJobAsync(TableJobStore jobs)
    {
        var definition = NewDefinition();
        await jobs.CreateAsync(definition, "{}", default);
        return Assert.IsType<ClaimResult.Claimed>(await jobs.TryClaimAsync(definition.JobId, "w", TimeSpan.FromMinutes(1), default)).State;
    }

    private async Task<JobState> AppendAsync(TableJobStore jobs, JobState state, int count)
    {
        var events = Enumerable.Range(0, count).Select(i => new NewJobEvent(
            "job.event",
            """{"kind":"log","ts":"2026-05-13T10:00:00.000Z","body":{"level":"info","message":"x"}}""",
            _time.GetUtcNow(),
            "msg_" + Guid.NewGuid().ToString("N"))).ToList();
        return Assert.IsType<AppendResult.Appended>(await jobs.AppendEventsAsync(state, events, null, default)).State;
    }
}

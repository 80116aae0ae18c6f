using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;

namespace Arcp.Azure.Tests.Contracts;

public abstract class SessionStoreContract : ContractTestBase
{
    [Fact]
    public async Task Create_ThenGet_RoundTripsMeta()
    {
        var session = new SessionState
        {
            SessionId = NewId("sess_"),
            Principal = "alice",
            Features = ["ack", "heartbeat"],
            ResumeTokenHash = "abc",
            CreatedAt = Time.GetUtcNow(),
        };

        Assert.True(await Stores.Sessions.CreateAsync(session, default));
        Assert.False(await Stores.Sessions.CreateAsync(session, default));
        var read = await Stores.Sessions.GetAsync(session.SessionId, default);

        Assert.NotNull(read);
        Assert.Equal(["ack", "heartbeat"], read.Features);
        Assert.Equal("abc", read.ResumeTokenHash);
        Assert.Equal(0, await Stores.Sessions.GetLastIssuedSeqAsync(session.SessionId, default));
    }

    [Fact]
    public async Task TryUpdate_StaleVersion_ReturnsNull()
    {
        var sessionId = await CreateSessionAsync();
        var original = (await Stores.Sessions.GetAsync(sessionId, default))!;
        var updated = await Stores.Sessions.TryUpdateAsync(original, original with { ConnectionId = "c1" }, default);

        var stale = await Stores.Sessions.TryUpdateAsync(original, original with { ConnectionId = "c2" }, default);

        Assert.NotNull(updated);
        Assert.Null(stale);
        Assert.Equal("c1", (await Stores.Sessions.GetAsync(sessionId, default))!.ConnectionId);
    }

    [Fact]
    public async Task Subscribe_Twice_SecondReportsExisting()
    {
        var sessionId = await CreateSessionAsync();
        var sub = new SessionSubscription("job_a", true, "t", false, 0, 0);

        Assert.IsType<SubscribeResult.Added>(await Stores.Sessions.SubscribeAsync(sessionId, sub, default));
        Assert.IsType<SubscribeResult.AlreadySubscribed>(await Stores.Sessions.SubscribeAsync(sessionId, sub with { DeliveredIndex = 5 }, default));
        Assert.Equal(0, Assert.Single(await Stores.Sessions.GetSubscriptionsAsync(sessionId, default)).DeliveredIndex);
    }

    [Fact]
    public async Task SyncOutbox_NotSubscribed_NothingMapped()
    {
        var sessionId = await CreateSessionAsync();

        var sync = await Stores.Sessions.SyncOutboxAsync(sessionId, "job_x", 5, default);

        Assert.IsType<OutboxSyncResult.NotSubscribed>(sync);
        Assert.Empty(await ReadWholeOutboxAsync(sessionId));
    }

    [Fact]
    public async Task SyncOutbox_Repeated_IsIdempotent()
    {
        var sessionId = await CreateSessionAsync();
        await Stores.Sessions.SubscribeAsync(sessionId, new SessionSubscription("job_a", true, "t", false, 0, 0), default);

        var first = Assert.IsType<OutboxSyncResult.Synced>(await Stores.Sessions.SyncOutboxAsync(sessionId, "job_a", 3, default));
        var again = Assert.IsType<OutboxSyncResult.Synced>(await Stores.Sessions.SyncOutboxAsync(sessionId, "job_a", 3, default));
        var older = Assert.IsType<OutboxSyncResult.Synced>(await Stores.Sessions.SyncOutboxAsync(sessionId, "job_a", 2, default));

        Assert.Equal((3, 3L), (first.Added, first.LastSeq));
        Assert.Equal((0, 3L), (again.Added, again.LastSeq));
        Assert.Equal(0, older.Added);
        Assert.Equal([1L, 2L, 3L], (await ReadWholeOutboxAsync(sessionId)).Select(e => e.JobEventIndex));
    }

    [Fact]
    public async Task SyncOutbox_ConcurrentSyncersForThreeAppendingJobs_EveryEventOnceGapFreeInJobOrder()
    {
        // Arrange: three running jobs feeding one session.
        var sessionId = await CreateSessionAsync();
        var jobs = new List<JobState>();
        for (var j = 0; j < 3; j++)
        {
            var job = await CreateRunningJobAsync();
            jobs.Add(job);
            await Stores.Sessions.SubscribeAsync(sessionId, new SessionSubscription(job.JobId, true, job.Definition.TraceId, false, 0, 0), default);
        }

        const int appendsPerJob = 12;
        using var appending = new CancellationTokenSource();

        // Act: each job appends batches while 8 syncers map whatever is there, from any job, concurrently.
        var appenders = jobs.Select(job => Task.Run(async () =>
        {
            var state = job;
            for (var i = 0; i < appendsPerJob; i++)
            {
                var batch = Enumerable.Range(0, 1 + (i % 3)).Select(n => LogEvent(n, Time.GetUtcNow())).ToList();
                state = Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(state, batch, null, default)).State;
            }

            return state;
        })).ToList();
        var syncers = Enumerable.Range(0, 8).Select(s => Task.Run(async () =>
        {
            while (!appending.IsCancellationRequested)
            {
                var job = jobs[s % jobs.Count];
                var state = await Stores.Jobs.GetAsync(job.JobId, default);
                await Stores.Sessions.SyncOutboxAsync(sessionId, job.JobId, state!.EventCount, default);
            }
        })).ToList();
        var finals = await Task.WhenAll(appenders);
        await appending.CancelAsync();
        await Task.WhenAll(syncers);
        foreach (var final in finals)
        {
            await Stores.Sessions.SyncOutboxAsync(sessionId, final.JobId, final.EventCount, default);
        }

        // Assert
        var outbox = await ReadWholeOutboxAsync(sessionId);
        var total = finals.Sum(f => f.EventCount);
        Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), outbox.Select(e => e.Seq));
        foreach (var final in finals)
        {
            var indices = outbox.Where(e => e.JobId == final.JobId).Select(e => e.JobEventIndex).ToList();
            Assert.Equal(Enumerable.Range(1, (int)final.EventCount).Select(i => (long)i), indices);
        }

        Assert.Equal(total, await Stores.Sessions.GetLastIssuedSeqAsync(sessionId, default));
    }

    [Fact]
    public async Task SyncOutbox_AfterAppendsThatWereNeverSynced_DeliversEverything()
    {
        // A crash between the job append and the fan-out: the events are durable in the job, not yet in the outbox.
        var sessionId = await CreateSessionAsync();
        var job = await CreateRunningJobAsync();
        await Stores.Sessions.SubscribeAsync(sessionId, new SessionSubscription(job.JobId, true, "t", false, 0, 0), default);
        var state = Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(job, [LogEvent(1, Time.GetUtcNow()), LogEvent(2, Time.GetUtcNow())], null, default)).State;
        await Stores.Sessions.SyncOutboxAsync(sessionId, job.JobId, state.EventCount, default);
        state = Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(state, [LogEvent(3, Time.GetUtcNow())], null, default)).State;
        state = Assert.IsType<FinishResult.Finished>(await Stores.Jobs.TryFinishAsync(job.JobId, Success(Time.GetUtcNow()), [LogEvent(4, Time.GetUtcNow())], state, default)).State;

        // The recovering node knows only the job's current count.
        var recovered = await Stores.Jobs.GetAsync(job.JobId, default);
        var sync = Assert.IsType<OutboxSyncResult.Synced>(await Stores.Sessions.SyncOutboxAsync(sessionId, job.JobId, recovered!.EventCount, default));

        Assert.Equal(3, sync.Added);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], (await ReadWholeOutboxAsync(sessionId)).Select(e => e.JobEventIndex));
    }

    [Fact]
    public async Task SyncOutbox_SubscriberFromMidStream_RestampedIntoOwnSeqSpace()
    {
        var owner = await CreateSessionAsync();
        var observer = await CreateSessionAsync();
        await Stores.Sessions.SubscribeAsync(owner, new SessionSubscription("job_a", true, "t", false, 0, 0), default);
        await Stores.Sessions.SubscribeAsync(observer, new SessionSubscription("job_b", false, "t", false, 0, 0), default);
        await Stores.Sessions.SyncOutboxAsync(observer, "job_b", 2, default);

        await Stores.Sessions.SubscribeAsync(observer, new SessionSubscription("job_a", false, "t", true, DeliveredIndex: 3, LastSeq: 0), default);
        await Stores.Sessions.SyncOutboxAsync(observer, "job_a", 5, default);
        await Stores.Sessions.SyncOutboxAsync(owner, "job_a", 5, default);

        var seen = await ReadWholeOutboxAsync(observer);
        Assert.Equal([(1L, "job_b", 1L), (2L, "job_b", 2L), (3L, "job_a", 4L), (4L, "job_a", 5L)], seen.Select(e => (e.Seq, e.JobId, e.JobEventIndex)));
        Assert.True(seen[2].Redact);
        Assert.False(seen[2].IsSubmitter);
        Assert.Equal(5, (await ReadWholeOutboxAsync(owner)).Count);
    }

    [Fact]
    public async Task Unsubscribe_StopsFurtherMapping()
    {
        var sessionId = await CreateSessionAsync();
        await Stores.Sessions.SubscribeAsync(sessionId, new SessionSubscription("job_a", false, "t", false, 0, 0), default);
        await Stores.Sessions.SyncOutboxAsync(sessionId, "job_a", 1, default);

        Assert.True(await Stores.Sessions.UnsubscribeAsync(sessionId, "job_a", default));
        Assert.False(await Stores.Sessions.UnsubscribeAsync(sessionId, "job_a", default));
        var sync = await Stores.Sessions.SyncOutboxAsync(sessionId, "job_a", 4, default);

        Assert.IsType<OutboxSyncResult.NotSubscribed>(sync);
        Assert.Single(await ReadWholeOutboxAsync(sessionId));
    }

    [Fact]
    public async Task ReadOutbox_Twice_IdenticalEntries()
    {
        var sessionId = await CreateSessionAsync();
        await Stores.Sessions.SubscribeAsync(sessionId, new SessionSubscription("job_a", true, "trace", false, 0, 0), default);
        await Stores.Sessions.SyncOutboxAsync(sessionId, "job_a", 4, default);

        var first = await ReadWholeOutboxAsync(sessionId);
        var second = await ReadWholeOutboxAsync(sessionId);

        Assert.Equal(first, second);
        Assert.All(first, e => Assert.Equal("trace", e.TraceId));
    }

    [Fact]
    public async Task ReadOutbox_AfterSeqInsideRangeAndLimited_ReturnsExactWindow()
    {
        var sessionId = await CreateSessionAsync();
        await Stores.Sessions.SubscribeAsync(sessionId, new SessionSubscription("job_a", true, "t", false, 0, 0), default);
        await Stores.Sessions.SyncOutboxAsync(sessionId, "job_a", 10, default);

        var read = Assert.IsType<OutboxRead.Entries>(await Stores.Sessions.ReadOutboxAsync(sessionId, 4, 3, default));

        Assert.Equal([5L, 6L, 7L], read.Items.Select(e => e.Seq));
        Assert.Equal(10, read.LastIssuedSeq);
    }

    [Fact]
    public async Task ReadOutbox_BeyondHighestIssued_WindowExpired()
    {
        var sessionId = await CreateSessionAsync();
        await Stores.Sessions.SubscribeAsync(sessionId, new SessionSubscription("job_a", true, "t", false, 0, 0), default);
        await Stores.Sessions.SyncOutboxAsync(sessionId, "job_a", 2, default);

        Assert.IsType<OutboxRead.WindowExpired>(await Stores.Sessions.ReadOutboxAsync(sessionId, 3, 10, default));
        Assert.Empty(Assert.IsType<OutboxRead.Entries>(await Stores.Sessions.ReadOutboxAsync(sessionId, 2, 10, default)).Items);
    }

    [Fact]
    public async Task SweepAcknowledged_ThenReadBelowFloor_WindowExpiredNeverSilentSkip()
    {
        var sessionId = await CreateSessionAsync();
        await Stores.Sessions.SubscribeAsync(sessionId, new SessionSubscription("job_a", true, "t", false, 0, 0), default);
        await Stores.Sessions.SyncOutboxAsync(sessionId, "job_a", 3, default);
        await Stores.Sessions.SyncOutboxAsync(sessionId, "job_a", 6, default);
        var meta = (await Stores.Sessions.GetAsync(sessionId, default))!;
        await Stores.Sessions.TryUpdateAsync(meta, meta with { LastAckedSeq = 4 }, default);

        var removed = await Stores.Sessions.SweepAcknowledgedAsync(sessionId, default);

        Assert.Equal(1, removed);
        Assert.Equal(5, (await Stores.Sessions.GetAsync(sessionId, default))!.OutboxFloor);
        Assert.IsType<OutboxRead.WindowExpired>(await Stores.Sessions.ReadOutboxAsync(sessionId, 2, 10, default));
        Assert.Equal([5L, 6L], Assert.IsType<OutboxRead.Entries>(await Stores.Sessions.ReadOutboxAsync(sessionId, 4, 10, default)).Items.Select(e => e.Seq));
    }

    [Fact]
    public async Task ResumeTokenIndex_PutFindRemove()
    {
        var sessionId = await CreateSessionAsync();

        await Stores.Sessions.IndexResumeTokenAsync("hash-1", sessionId, default);
        var found = await Stores.Sessions.FindSessionByResumeTokenAsync("hash-1", default);
        await Stores.Sessions.RemoveResumeTokenAsync("hash-1", default);

        Assert.Equal(sessionId, found);
        Assert.Null(await Stores.Sessions.FindSessionByResumeTokenAsync("hash-1", default));
        Assert.Null(await Stores.Sessions.FindSessionByResumeTokenAsync("hash-unknown", default));
    }

    [Fact]
    public async Task GetSubscription_AfterSync_ReportsLastSeq()
    {
        var sessionId = await CreateSessionAsync();
        await Stores.Sessions.SubscribeAsync(sessionId, new SessionSubscription("job_a", true, "t", false, 0, 0), default);
        await Stores.Sessions.SyncOutboxAsync(sessionId, "job_a", 3, default);

        var sub = await Stores.Sessions.GetSubscriptionAsync(sessionId, "job_a", default);

        Assert.Equal((3L, 3L), (sub!.DeliveredIndex, sub.LastSeq));
        Assert.Null(await Stores.Sessions.GetSubscriptionAsync(sessionId, "job_b", default));
    }

    [Fact]
    public async Task ListAttached_ByConnectionPrefix_OnlyMatchingAttachedSessions()
    {
        var relayed = await CreateSessionAsync();
        var direct = await CreateSessionAsync();
        var detached = await CreateSessionAsync();
        foreach (var (id, connection) in new[] { (relayed, "wps:c1"), (direct, "ws:c2"), (detached, (string?)null) })
        {
            var meta = (await Stores.Sessions.GetAsync(id, default))!;
            await Stores.Sessions.TryUpdateAsync(meta, meta with { ConnectionId = connection }, default);
        }

        var attached = await Stores.Sessions.ListAttachedAsync("wps:", 100, default);

        Assert.Contains(attached, s => s.SessionId == relayed && s.ConnectionId == "wps:c1");
        Assert.DoesNotContain(attached, s => s.SessionId == direct || s.SessionId == detached);
    }

    [Fact]
    public async Task ListAttached_HintsFollowTouchMoveAndDetach()
    {
        // Arrange: three sessions on Web PubSub with heartbeat; one touched, one moved to another connection, one detached.
        var touched = await CreateSessionAsync();
        var moved = await CreateSessionAsync();
        var detached = await CreateSessionAsync();
        var attachedAt = Time.GetUtcNow();
        foreach (var (id, connection) in new[] { (touched, "wps:t1"), (moved, "wps:m1"), (detached, "wps:d1") })
        {
            var meta = (await Stores.Sessions.GetAsync(id, default))!;
            Assert.NotNull(await Stores.Sessions.TryUpdateAsync(meta, meta with { ConnectionId = connection, Features = ["heartbeat"], LastInboundAt = attachedAt }, default));
        }

        var touchedAt = attachedAt.AddSeconds(30);
        foreach (var (id, change) in new (string, Func<SessionState, SessionState>)[]
        {
            (touched, m => m with { LastInboundAt = touchedAt }),
            (moved, m => m with { ConnectionId = "wps:m2" }),
            (detached, m => m with { ConnectionId = null, DetachedAt = touchedAt }),
        })
        {
            var meta = (await Stores.Sessions.GetAsync(id, default))!;
            Assert.NotNull(await Stores.Sessions.TryUpdateAsync(meta, change(meta), default));
        }

        // Act
        var attached = await Stores.Sessions.ListAttachedAsync("wps:", 1000, default);

        // Assert
        var hint = Assert.Single(attached, s => s.SessionId == touched);
        Assert.Equal(("wps:t1", touchedAt), (hint.ConnectionId, hint.LastInboundAt));
        Assert.Equal(["heartbeat"], hint.Features);
        Assert.Equal(["wps:m2"], attached.Where(s => s.SessionId == moved).Select(s => s.ConnectionId));
        Assert.DoesNotContain(attached, s => s.SessionId == detached);
    }

    [Fact]
    public async Task ListDetachedBefore_OnlySessionsDetachedLongEnoughAgo()
    {
        var expired = await CreateSessionAsync();
        var recent = await CreateSessionAsync();
        var attached = await CreateSessionAsync();
        foreach (var (id, connection, detachedAt) in new[] { (expired, (string?)null, Time.GetUtcNow().AddHours(-2)), (recent, null, Time.GetUtcNow()), (attached, "ws:c", (DateTimeOffset?)null) })
        {
            var meta = (await Stores.Sessions.GetAsync(id, default))!;
            await Stores.Sessions.TryUpdateAsync(meta, meta with { ConnectionId = connection, DetachedAt = detachedAt }, default);
        }

        var listed = await Stores.Sessions.ListDetachedBeforeAsync(Time.GetUtcNow().AddHours(-1), 100, default);

        Assert.Contains(listed, s => s.SessionId == expired);
        Assert.DoesNotContain(listed, s => s.SessionId == recent || s.SessionId == attached);
    }

    [Fact]
    public async Task Delete_RemovesSession()
    {
        var sessionId = await CreateSessionAsync();
        await Stores.Sessions.SubscribeAsync(sessionId, new SessionSubscription("job_a", true, "t", false, 0, 0), default);
        await Stores.Sessions.SyncOutboxAsync(sessionId, "job_a", 2, default);

        await Stores.Sessions.DeleteAsync(sessionId, default);

        Assert.Null(await Stores.Sessions.GetAsync(sessionId, default));
        Assert.IsType<OutboxRead.NotFound>(await Stores.Sessions.ReadOutboxAsync(sessionId, 0, 10, default));
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class TableSessionStoreContractTests(AzuriteFixture azurite) : SessionStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync(TimeProvider time) => StoreSet.TablesAsync(azurite.ConnectionString, time);
}

public sealed class InMemorySessionStoreContractTests : SessionStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync(TimeProvider time) => StoreSet.InMemoryAsync(time);
}

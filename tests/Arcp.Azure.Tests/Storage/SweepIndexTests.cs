using Arcp.Azure.Jobs;
using Arcp.Azure.Sessions;
using Arcp.Azure.Storage;
using Arcp.Azure.Tests.Contracts;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Arcp.Testing;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Azure.Tests.Storage;

/// <summary>
/// The sweeps find unfinished jobs, expired job events, expired sessions and sessions attached through Web PubSub
/// through the sweep index: they never query the job or session tables (whose rows are mostly event pages and outbox ranges), a lost index write is repaired,
/// and stale rows are tidied, so an idle deployment's sweep costs a handful of small requests.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SweepIndexTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly StorageRequestCounter _requests = new();
    private ArcpStorage _storage = null!;
    private string _prefix = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _prefix = "x" + Guid.NewGuid().ToString("N")[..12];
        _storage = _requests.CountedStorage(azurite.ConnectionString, _prefix);
        await _storage.EnsureCreatedAsync(CancellationToken.None);
    }

    async Task IAsyncLifetime.DisposeAsync() => await _storage.DeleteAllAsync(CancellationToken.None);

    [Fact]
    public async Task ListNonTerminalPage_AmongManyFinishedJobs_QueriesOnlyTheIndexAndReadsOnlyOpenJobs()
    {
        // Arrange: twelve finished jobs with events, one running; the daily full scan already done.
        using var jobs = new TableJobStore(_storage, _time);
        for (var i = 0; i < 12; i++)
        {
            await FinishAsync(jobs, await RunningAsync(jobs), withEvents: true);
        }

        var open = await RunningAsync(jobs);
        await jobs.ListNonTerminalPageAsync(null, 100, default);
        _requests.Reset();

        // Act
        var page = await jobs.ListNonTerminalPageAsync(null, 100, default);

        // Assert: one query of the index, one point read of the open job's state, nothing else.
        Assert.Equal([open.JobId], page.Jobs.Select(j => j.JobId));
        Assert.Null(page.Continuation);
        Assert.Empty(Queries(_prefix + "jobs"));
        Assert.Single(Queries(_prefix + "sweepindex"));
        Assert.Equal(2, _requests.Requests.Count);
    }

    [Fact]
    public async Task ListNonTerminalPage_TerminalWhoseIndexMoveWasLost_NotListedAndRowClosed()
    {
        // Arrange: the job finished, but its open row is back (as if the move after the terminal commit failed).
        using var jobs = new TableJobStore(_storage, _time);
        var job = await RunningAsync(jobs);
        await FinishAsync(jobs, job, withEvents: false);
        var index = new SweepIndexRows(_storage.SweepIndex, "job");
        await index.OpenAsync(job.JobId, default);

        // Act
        var first = await jobs.ListNonTerminalPageAsync(null, 100, default);
        var openRows = await index.ListOpenAsync(null, 100, default);

        // Assert
        Assert.DoesNotContain(first.Jobs, j => j.JobId == job.JobId);
        Assert.DoesNotContain(openRows.Rows, r => r.Id == job.JobId);
        Assert.Contains(await index.ListClosedBeforeAsync(_time.GetUtcNow().AddMinutes(1), 100, default), r => r.Id == job.JobId);
    }

    [Fact]
    public async Task ListNonTerminalPage_JobWhoseOpenRowWasLost_FoundByTheDailyFullScan()
    {
        // Arrange: the first pass does the full scan; then a job whose open row write was lost.
        using var jobs = new TableJobStore(_storage, _time);
        await jobs.ListNonTerminalPageAsync(null, 100, default);
        var job = await RunningAsync(jobs);
        await DeleteOpenRowAsync(job.JobId);

        // Act: within the day, then a day later on another node.
        var sameDay = await jobs.ListNonTerminalPageAsync(null, 100, default);
        _time.Advance(TimeSpan.FromHours(25));
        using var otherNode = new TableJobStore(_storage, _time);
        var nextDay = await otherNode.ListNonTerminalPageAsync(null, 100, default);

        // Assert
        Assert.DoesNotContain(sameDay.Jobs, j => j.JobId == job.JobId);
        Assert.Contains(nextDay.Jobs, j => j.JobId == job.JobId);
    }

    [Fact]
    public async Task ListNonTerminalPage_RowOfAJobThatNeverCameToExist_DroppedOnlyOnceOld()
    {
        // Arrange: an open row whose create failed (or is still in flight).
        using var jobs = new TableJobStore(_storage, _time);
        await jobs.ListNonTerminalPageAsync(null, 100, default);
        var index = new SweepIndexRows(_storage.SweepIndex, "job");
        await index.OpenAsync("job_never", default);

        // Act
        await jobs.ListNonTerminalPageAsync(null, 100, default);
        var young = await index.ListOpenAsync(null, 100, default);
        _time.Advance(TimeSpan.FromMinutes(11));
        await jobs.ListNonTerminalPageAsync(null, 100, default);
        var old = await index.ListOpenAsync(null, 100, default);

        // Assert
        Assert.Contains(young.Rows, r => r.Id == "job_never");
        Assert.DoesNotContain(old.Rows, r => r.Id == "job_never");
    }

    [Fact]
    public async Task ListFinishedBefore_ThroughTheIndex_ListsDueJobsOnceAndForgetsThemAfterThePurge()
    {
        // Arrange
        using var jobs = new TableJobStore(_storage, _time);
        var done = await RunningAsync(jobs);
        await FinishAsync(jobs, done, withEvents: true);
        _time.Advance(TimeSpan.FromHours(2));
        var recent = await RunningAsync(jobs);
        await FinishAsync(jobs, recent, withEvents: true);
        await jobs.ListNonTerminalPageAsync(null, 100, default);
        _requests.Reset();

        // Act
        var due = await jobs.ListFinishedBeforeAsync(_time.GetUtcNow().AddHours(-1), 100, default);
        var queriedJobsTable = Queries(_prefix + "jobs").Count;
        var purged = await jobs.PurgeEventsAsync(done.JobId, default);
        var afterPurge = await jobs.ListFinishedBeforeAsync(_time.GetUtcNow().AddHours(-1), 100, default);

        // Assert
        Assert.Equal([done.JobId], due.Select(j => j.JobId));
        Assert.Equal(0, queriedJobsTable);
        Assert.True(purged > 0);
        Assert.Empty(afterPurge);
        Assert.Empty(await new SweepIndexRows(_storage.SweepIndex, "job").ListClosedBeforeAsync(_time.GetUtcNow().AddHours(-1), 100, default));
    }

    [Fact]
    public async Task ListDetachedBefore_ThroughTheIndex_SkipsResumedSessionsAndNeverQueriesTheSessionTable()
    {
        // Arrange: two sessions detached three hours ago; one of them resumed since.
        var sessions = new TableSessionStore(_storage, _time);
        await sessions.ListDetachedBeforeAsync(_time.GetUtcNow(), 10, default);
        var expired = await DetachedSessionAsync(sessions);
        var resumed = await DetachedSessionAsync(sessions);
        var current = await sessions.GetAsync(resumed, default);
        Assert.NotNull(await sessions.TryUpdateAsync(current!, current! with { ConnectionId = "ws:1", DetachedAt = null }, default));
        _time.Advance(TimeSpan.FromHours(3));
        _requests.Reset();

        // Act
        var listed = await sessions.ListDetachedBeforeAsync(_time.GetUtcNow().AddHours(-1), 10, default);

        // Assert
        Assert.Equal([expired], listed.Select(s => s.SessionId));
        Assert.Empty(Queries(_prefix + "sessions"));
        Assert.DoesNotContain(await new SweepIndexRows(_storage.SweepIndex, "session").ListClosedBeforeAsync(_time.GetUtcNow(), 10, default), r => r.Id == resumed);
    }

    [Fact]
    public async Task ListDetachedBefore_SessionDetachedBeforeTheIndexExisted_FoundByTheFirstFullScan()
    {
        // Arrange: a detached session whose index row is missing (written by a version without the index).
        var sessions = new TableSessionStore(_storage, _time);
        var id = await DetachedSessionAsync(sessions);
        await foreach (var row in _storage.SweepIndex.QueryAsync<TableEntity>(r => r.PartitionKey.CompareTo("session-") >= 0 && r.PartitionKey.CompareTo("session.") < 0))
        {
            await _storage.SweepIndex.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        _time.Advance(TimeSpan.FromHours(3));

        // Act
        var listed = await new TableSessionStore(_storage, _time).ListDetachedBeforeAsync(_time.GetUtcNow().AddHours(-1), 10, default);

        // Assert
        Assert.Equal([id], listed.Select(s => s.SessionId));
    }

    [Fact]
    public async Task ListAttached_WebPubSubSessionsAmongManyOthers_OneIndexQueryAndNoSessionTableQuery()
    {
        // Arrange: two sessions on Web PubSub, one of them touched since; direct and detached sessions beside them;
        // the daily full scan already done.
        var sessions = new TableSessionStore(_storage, _time);
        await sessions.ListAttachedAsync("wps:", 100, default);
        var relayed = await AttachedSessionAsync(sessions, "wps:c1", ["heartbeat"]);
        var touched = await AttachedSessionAsync(sessions, "wps:c2", []);
        for (var i = 0; i < 6; i++)
        {
            await AttachedSessionAsync(sessions, "ws:" + i, []);
            await DetachedSessionAsync(sessions);
        }

        _time.Advance(TimeSpan.FromSeconds(40));
        var meta = (await sessions.GetAsync(touched, default))!;
        Assert.NotNull(await sessions.TryUpdateAsync(meta, meta with { LastInboundAt = _time.GetUtcNow() }, default));
        _requests.Reset();

        // Act
        var listed = await sessions.ListAttachedAsync("wps:", 100, default);

        // Assert: the hints carry what the sweep decides from; one request, to the index.
        Assert.Equal(2, listed.Count);
        var first = Assert.Single(listed, s => s.SessionId == relayed);
        Assert.Equal("wps:c1", first.ConnectionId);
        Assert.Equal(["heartbeat"], first.Features);
        Assert.Equal(_time.GetUtcNow(), Assert.Single(listed, s => s.SessionId == touched).LastInboundAt);
        Assert.Empty(Queries(_prefix + "sessions"));
        Assert.Single(_requests.Requests);
    }

    [Fact]
    public async Task ListAttached_SessionLeftItsConnection_HintGone()
    {
        // Arrange
        var sessions = new TableSessionStore(_storage, _time);
        var detached = await AttachedSessionAsync(sessions, "wps:c1", []);
        var moved = await AttachedSessionAsync(sessions, "wps:c2", []);
        var meta = (await sessions.GetAsync(detached, default))!;
        Assert.NotNull(await sessions.TryUpdateAsync(meta, meta with { ConnectionId = null, DetachedAt = _time.GetUtcNow() }, default));
        meta = (await sessions.GetAsync(moved, default))!;
        Assert.NotNull(await sessions.TryUpdateAsync(meta, meta with { ConnectionId = "wps:c3" }, default));

        // Act
        var listed = await sessions.ListAttachedAsync("wps:", 100, default);

        // Assert
        Assert.Equal([(moved, "wps:c3")], listed.Select(s => (s.SessionId, s.ConnectionId)));
    }

    [Fact]
    public async Task ListAttached_HintLeftByAFailedRemoval_ForgottenWhenTheSweepAsks()
    {
        // Arrange: a session detached while its hint's removal was lost (the hint written back as it was).
        var sessions = new TableSessionStore(_storage, _time);
        var id = await AttachedSessionAsync(sessions, "wps:c1", []);
        var hint = Assert.Single(await sessions.ListAttachedAsync("wps:", 100, default));
        var meta = (await sessions.GetAsync(id, default))!;
        Assert.NotNull(await sessions.TryUpdateAsync(meta, meta with { ConnectionId = null, DetachedAt = _time.GetUtcNow() }, default));
        await new SweepIndexRows(_storage.SweepIndex, "attached").OpenAsync(
            id + "|wps:c1",
            [new("SessionId", id), new("ConnectionId", "wps:c1"), new("Features", ""), new("LastInboundAt", hint.LastInboundAt)],
            default);
        var stale = Assert.Single(await sessions.ListAttachedAsync("wps:", 100, default));

        // Act
        await sessions.ForgetAttachedAsync(stale, default);

        // Assert
        Assert.Empty(await sessions.ListAttachedAsync("wps:", 100, default));
    }

    [Fact]
    public async Task ListAttached_SessionAttachedBeforeTheIndexExisted_FoundByTheFirstFullScan()
    {
        // Arrange: an attached session whose hint is missing (written by a version without the index).
        var sessions = new TableSessionStore(_storage, _time);
        var id = await AttachedSessionAsync(sessions, "wps:c1", []);
        await foreach (var row in _storage.SweepIndex.QueryAsync<TableEntity>(r => r.PartitionKey.CompareTo("attached-") >= 0 && r.PartitionKey.CompareTo("attached.") < 0))
        {
            await _storage.SweepIndex.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        // Act
        var listed = await new TableSessionStore(_storage, _time).ListAttachedAsync("wps:", 100, default);

        // Assert
        Assert.Equal([(id, "wps:c1")], listed.Select(s => (s.SessionId, s.ConnectionId)));
    }

    private async Task<string> AttachedSessionAsync(TableSessionStore sessions, string connectionId, string[] features)
    {
        var id = "sess_" + Guid.NewGuid().ToString("N");
        var now = _time.GetUtcNow();
        Assert.True(await sessions.CreateAsync(new SessionState { SessionId = id, Principal = "alice", CreatedAt = now, LastInboundAt = now, ConnectionId = connectionId, Features = features, Version = "" }, default));
        return id;
    }

    private async Task<JobState> RunningAsync(TableJobStore jobs)
    {
        var definition = ContractTestBase.Definition("job_" + Guid.NewGuid().ToString("N"), _time.GetUtcNow());
        Assert.True(await jobs.CreateAsync(definition, "{}", default));
        return Assert.IsType<ClaimResult.Claimed>(await jobs.TryClaimAsync(definition.JobId, "worker-1", TimeSpan.FromMinutes(5), default)).State;
    }

    private async Task FinishAsync(TableJobStore jobs, JobState running, bool withEvents)
    {
        var state = running;
        if (withEvents)
        {
            var appended = await jobs.AppendEventsAsync(state, [new NewJobEvent("job.event", """{"kind":"log","ts":"2026-05-13T10:00:00.000Z","body":{"level":"info","message":"x"}}""", _time.GetUtcNow(), "msg_" + Guid.NewGuid().ToString("N"))], null, default);
            state = Assert.IsType<AppendResult.Appended>(appended).State;
        }

        var terminal = JobTermination.Create(JobStatus.Success, new NewJobEvent("job.result", """{"final_status":"success","result":{"ok":true}}""", _time.GetUtcNow(), "msg_" + Guid.NewGuid().ToString("N")));
        Assert.IsType<FinishResult.Finished>(await jobs.TryFinishAsync(state.JobId, terminal, [], state, default));
    }

    private async Task<string> DetachedSessionAsync(TableSessionStore sessions)
    {
        var id = "sess_" + Guid.NewGuid().ToString("N");
        var now = _time.GetUtcNow();
        Assert.True(await sessions.CreateAsync(new SessionState { SessionId = id, Principal = "alice", CreatedAt = now, ConnectionId = "ws:0", Version = "" }, default));
        var attached = await sessions.GetAsync(id, default);
        Assert.NotNull(await sessions.TryUpdateAsync(attached!, attached! with { ConnectionId = null, DetachedAt = now }, default));
        return id;
    }

    private async Task DeleteOpenRowAsync(string jobId)
    {
        var index = new SweepIndexRows(_storage.SweepIndex, "job");
        var row = Assert.Single((await index.ListOpenAsync(null, 1000, default)).Rows, r => r.Id == jobId);
        await index.RemoveAsync(row, default);
    }

    /// <summary>Queries (GETs over a table, not of one entity) against <paramref name="table"/>.</summary>
    private List<StorageRequest> Queries(string table) =>
        [.. _requests.Requests.Where(r => r.Method == "GET" && r.Path.EndsWith("/" + table + "()", StringComparison.Ordinal))];
}

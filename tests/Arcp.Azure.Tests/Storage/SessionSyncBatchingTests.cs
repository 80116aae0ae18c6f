using Arcp.Azure.Jobs;
using Arcp.Azure.Sessions;
using Arcp.Azure.Storage;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Arcp.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Arcp.Azure.Tests.Storage;

/// <summary>
/// Jobs streaming into one session on one node share the session's seq counter: the fan-out maps every job that
/// appended meanwhile in one transaction, so they never race for the counter row (no conflict, no re-read).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SessionSyncBatchingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int Jobs = 8;
    private const int EventsPerJob = 150;

    private readonly StorageRequestCounter _counter = new();
    private ArcpStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _storage = _counter.CountedStorage(azurite.ConnectionString, "t" + Guid.NewGuid().ToString("N")[..12]);
        await _storage.EnsureCreatedAsync(default);
    }

    public Task DisposeAsync() => _storage.DeleteAllAsync(default);

    [Fact]
    public async Task EightJobsStreamIntoOneSession_NoSyncConflicts_OutboxGapFreeAndComplete()
    {
        // Arrange: eight claimed jobs submitted by one session.
        var jobStore = new CountingJobStore(new TableJobStore(_storage, TimeProvider.System));
        var sessions = new TableSessionStore(_storage);
        var fanout = new OutboxFanout(sessions, new SignalHub(), [], NullLogger<OutboxFanout>.Instance);
        var sessionId = "sess_" + Guid.NewGuid().ToString("N");
        await sessions.CreateAsync(new SessionState { SessionId = sessionId, Principal = "p", CreatedAt = DateTimeOffset.UtcNow }, default);
        var writers = new List<JobEventWriter>();
        for (var j = 0; j < Jobs; j++)
        {
            var jobId = "job_" + Guid.NewGuid().ToString("N");
            await sessions.SubscribeAsync(sessionId, new SessionSubscription(jobId, true, "00000000000000000000000000000001", false, 0, 0), default);
            await jobStore.CreateAsync(new JobDefinition(jobId, "p", sessionId, "burst@1", "{}", null, null, null, "00000000000000000000000000000001", null, DateTimeOffset.UtcNow, new Dictionary<string, decimal>(), []), "{}", default);
            var claimed = Assert.IsType<ClaimResult.Claimed>(await jobStore.TryClaimAsync(jobId, "node-a", TimeSpan.FromMinutes(5), default));
            writers.Add(new JobEventWriter(jobStore, claimed.State, fanout.JobAppended));
        }

        _counter.Reset();

        // Act: every job emits in small bursts, so there are many appends (and syncs) in flight at once.
        await Task.WhenAll(writers.Select(writer => Task.Run(async () =>
        {
            for (var i = 1; i <= EventsPerJob; i++)
            {
                var emitted = writer.EmitAsync(new NewJobEvent(JobEventTypes.Event, $$$"""{"kind":"progress","ts":"2026-05-13T10:00:00.000Z","body":{"current":{{{i}}},"total":{{{EventsPerJob}}}}}""", DateTimeOffset.UtcNow, "msg_" + Guid.NewGuid().ToString("N")));
                if (i % 10 == 0)
                {
                    await emitted;
                }
            }

            await writer.FlushAsync();
        })));
        foreach (var writer in writers)
        {
            await fanout.DrainAsync(writer.State.JobId, default);
        }

        // Assert: every sync committed against the versions this node last wrote: not one read of the session
        // partition, so not one lost race on its seq counter.
        var sessionReads = _counter.Touching("sessions").Where(r => !r.IsBatch).ToList();
        Assert.Empty(sessionReads);
        var syncCommits = _counter.Touching("sessions").Count(r => r.IsBatch);
        Assert.InRange(syncCommits, 1, jobStore.Appends);
        Assert.Equal(Jobs * EventsPerJob, await sessions.GetLastIssuedSeqAsync(sessionId, default));
        var read = Assert.IsType<OutboxRead.Entries>(await sessions.ReadOutboxAsync(sessionId, 0, Jobs * EventsPerJob, default));
        Assert.Equal(Enumerable.Range(1, Jobs * EventsPerJob).Select(i => (long)i), read.Items.Select(e => e.Seq));
        foreach (var writer in writers)
        {
            Assert.Equal(Enumerable.Range(1, EventsPerJob).Select(i => (long)i), read.Items.Where(e => e.JobId == writer.State.JobId).Select(e => e.JobEventIndex));
        }
    }
    [Fact]
    public async Task TwoSyncsOfOneSessionAtOnce_OneCommitNoConflict()
    {
        // Arrange: a job with one event, its submitter's subscription written by this node (so syncs start from the
        // versions this node knows, as the fan-out and a delivery pull do).
        var sessions = new TableSessionStore(_storage);
        var sessionId = "sess_" + Guid.NewGuid().ToString("N");
        var jobId = "job_" + Guid.NewGuid().ToString("N");
        await sessions.CreateAsync(new SessionState { SessionId = sessionId, Principal = "p", CreatedAt = DateTimeOffset.UtcNow }, default);
        await sessions.SubscribeAsync(sessionId, new SessionSubscription(jobId, true, "00000000000000000000000000000001", false, 0, 0), default);
        _counter.Reset();

        // Act: the fan-out and a delivery pull map the same event at the same moment.
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => sessions.SyncOutboxAsync(sessionId, jobId, 1, default))));

        // Assert: one commit and no re-read; the event has one seq.
        Assert.Equal(1, _counter.Touching("sessions").Count(r => r.IsBatch));
        Assert.DoesNotContain(_counter.Touching("sessions"), r => !r.IsBatch);
        Assert.All(results, r => Assert.Equal(1, Assert.IsType<OutboxSyncResult.Synced>(r).LastSeq));
        Assert.Equal(1, await sessions.GetLastIssuedSeqAsync(sessionId, default));
    }
}

using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Runtime.Tests.Jobs;

public sealed class JobEventWriterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly CountingJobStore _store;

    public JobEventWriterTests() => _store = new CountingJobStore(new InMemoryJobStore(_time));

    [Fact]
    public async Task EmitAsync_BurstWhileAppendInFlight_FewWritesAllEventsInOrder()
    {
        var writer = await NewWriterAsync();
        _store.AppendDelay = TimeSpan.FromMilliseconds(20);

        var emits = Enumerable.Range(0, 2000).Select(i => writer.EmitAsync(Event(i))).ToList();
        await Task.WhenAll(emits);

        var events = await ReadAllAsync(writer.State.JobId);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"msg_{i}"), events.Select(e => e.MessageId));
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (long)i), events.Select(e => e.Index));
        Assert.InRange(_store.Appends, 1, 10);
    }

    [Fact]
    public async Task EmitAsync_OneAtATime_OneAppendEach()
    {
        var writer = await NewWriterAsync();

        for (var i = 0; i < 5; i++)
        {
            await writer.EmitAsync(Event(i));
        }

        Assert.Equal(5, _store.Appends);
        Assert.Equal(5, writer.State.EventCount);
    }

    [Fact]
    public async Task FinishAsync_WithEventsStillWaiting_WritesThemAndTerminalTogether()
    {
        var writer = await NewWriterAsync();
        _store.AppendDelay = TimeSpan.FromMilliseconds(50);
        var first = writer.EmitAsync(Event(0));
        var queued = writer.EmitAsync(Event(1));

        var outcome = await writer.FinishAsync(Success(), default);
        await Task.WhenAll(first, queued);

        var finished = Assert.IsType<FinishResult.Finished>(outcome);
        Assert.Equal(3, finished.TerminalIndex);
        var events = await ReadAllAsync(writer.State.JobId);
        Assert.Equal(["job.event", "job.event", "job.result"], events.Select(e => e.Type));
        await Assert.ThrowsAsync<JobSealedException>(() => writer.EmitAsync(Event(2)));
    }

    [Fact]
    public async Task EmitAsync_JobCancelledElsewhere_FailsWithSealed()
    {
        var writer = await NewWriterAsync();
        await writer.EmitAsync(Event(0));
        await _store.RequestCancelAsync(writer.State.JobId, null, default);
        await _store.TryFinishAsync(writer.State.JobId, JobTermination.Create(JobStatus.Cancelled, new NewJobEvent("job.error", "{}", _time.GetUtcNow(), "msg_c")), [], null, default);

        await Assert.ThrowsAsync<JobSealedException>(() => writer.EmitAsync(Event(1)));

        Assert.True(writer.State.Sealed);
        Assert.Equal(2, (await ReadAllAsync(writer.State.JobId)).Count);
    }

    [Fact]
    public async Task EmitAsync_CancelRequestedButNotSealed_StillAppendsAndSeesFlag()
    {
        var writer = await NewWriterAsync();
        await _store.RequestCancelAsync(writer.State.JobId, "stop", default);

        await writer.EmitAsync(Event(0));

        Assert.True(writer.State.CancelRequested);
        Assert.Single(await ReadAllAsync(writer.State.JobId));
    }

    [Fact]
    public async Task FinishAsync_SuccessAfterCancelRequested_CancelPendingThenCancelledKeepsWaitingEvents()
    {
        var writer = await NewWriterAsync();
        await _store.RequestCancelAsync(writer.State.JobId, "stop", default);
        _store.AppendDelay = TimeSpan.FromMilliseconds(30);
        _ = writer.EmitAsync(Event(0));
        var waiting = writer.EmitAsync(Event(1));

        var first = await writer.FinishAsync(Success(), default);
        var second = await writer.FinishAsync(JobTermination.Create(JobStatus.Cancelled, new NewJobEvent("job.error", "{}", _time.GetUtcNow(), "msg_c")), default);
        await waiting;

        Assert.IsType<FinishResult.CancelPending>(first);
        Assert.Equal(JobStatus.Cancelled, Assert.IsType<FinishResult.Finished>(second).State.Status);
        Assert.Equal(["msg_0", "msg_1", "msg_c"], (await ReadAllAsync(writer.State.JobId)).Select(e => e.MessageId));
    }

    [Fact]
    public async Task EmitAsync_BatchAboveByteLimit_SplitIntoSeveralAppends()
    {
        var writer = await NewWriterAsync(new JobEventWriterOptions { MaxBatchBytes = 2_000 });
        _store.AppendDelay = TimeSpan.FromMilliseconds(20);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => writer.EmitAsync(Event(i))));

        Assert.True(_store.Appends >= 4, $"expected the burst to be split, saw {_store.Appends} appends");
        Assert.Equal(40, writer.State.EventCount);
    }

    private async Task<JobEventWriter> NewWriterAsync(JobEventWriterOptions? options = null)
    {
        var definition = new JobDefinition("job_1", "alice", "sess_1", "echo@1", "{}", null, null, null, "t", null, _time.GetUtcNow(), new Dictionary<string, decimal>(), []);
        await _store.CreateAsync(definition, "{}", default);
        var claimed = Assert.IsType<ClaimResult.Claimed>(await _store.TryClaimAsync("job_1", "w", TimeSpan.FromMinutes(1), default));
        return new JobEventWriter(_store, claimed.State, options: options);
    }

    private async Task<IReadOnlyList<StoredJobEvent>> ReadAllAsync(string jobId) =>
        Assert.IsType<JobEventRead.Events>(await _store.ReadEventsAsync(jobId, 1, int.MaxValue, default)).Items;

    private NewJobEvent Event(int i) => new("job.event", $$$"""{"kind":"log","body":{"message":"{{{i}}}"}}""", _time.GetUtcNow(), $"msg_{i}");

    private JobTermination Success() => JobTermination.Create(JobStatus.Success, new NewJobEvent("job.result", """{"final_status":"success"}""", _time.GetUtcNow(), "msg_r"));
}

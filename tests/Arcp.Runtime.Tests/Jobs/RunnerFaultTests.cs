using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Runtime.Tests.Jobs;

/// <summary>
/// Invariants 8 and 9 at the runner: storage faults are waited out, never the job's outcome; the watcher outlives
/// them; a runner paused past its lease and superseded writes nothing more; clean handoffs are not failures.
/// </summary>
public sealed class RunnerFaultTests : IAsyncDisposable
{
    private readonly FlakyJobStore _store;
    private readonly RuntimeHarness _runtime;

    public RunnerFaultTests()
    {
        _store = new FlakyJobStore(new InMemoryJobStore(TimeProvider.System), TimeProvider.System);
        _runtime = new RuntimeHarness(services =>
        {
            services.AddSingleton<IJobStore>(_store);
            services.Configure<JobRunnerOptions>(o => o.OwnerLease = TimeSpan.FromMilliseconds(600));
        });
    }

    public ValueTask DisposeAsync() => _runtime.DisposeAsync();

    [Fact]
    public async Task Run_AppendsFailAndLoseRepliesAfterCommitting_SucceedsWithEveryStepExactlyOnce()
    {
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":10,"interval_ms":20}""", start: false);
        _store.FailAppends(6);
        _store.LoseAppendReplies(3);

        var outcome = await _runtime.Runner.RunAsync(accepted.Payload.JobId, default);
        await _runtime.Fanout.DrainAsync(accepted.Payload.JobId, default);

        Assert.Equal(JobRunOutcome.Finished, outcome);
        Assert.Equal(JobStatus.Success, (await _store.Inner.GetAsync(accepted.Payload.JobId, default))!.Status);
        var progress = RuntimeHarness.EventBodies(await _runtime.ReadEnvelopesAsync(session), "progress").Select(b => b.GetProperty("current").GetInt32());
        Assert.Equal(Enumerable.Range(1, 10), progress);
    }

    [Fact]
    public async Task Run_StateReadsFailForAWhile_CancelRecordedByAnotherNodeStillStopsTheJobEarly()
    {
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":60,"interval_ms":50}""", start: false);
        var jobId = accepted.Payload.JobId;
        var run = _runtime.Runner.RunAsync(jobId, default);
        await Task.Delay(300);
        _store.FailReadsFor(TimeSpan.FromSeconds(1));

        // Another node records the cancel: no in-process signal reaches this runner, only its watch of the state row.
        await Task.Delay(1200);
        Assert.IsType<CancelRequestResult.Requested>(await _store.Inner.RequestCancelAsync(jobId, "stop", default));
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var state = (await _store.Inner.GetAsync(jobId, default))!;
        Assert.Equal(JobStatus.Cancelled, state.Status);
        Assert.InRange(state.EventCount, 1, 55);
    }

    [Fact]
    public async Task Run_PausedPastItsLeaseAndTakenOver_StopsAndWritesNothingMore()
    {
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":200,"interval_ms":20}""", start: false);
        var jobId = accepted.Payload.JobId;
        var run = _runtime.Runner.RunAsync(jobId, default);
        await Task.Delay(200);

        // The watch freezes (no renewals); once the lease lapses another node takes the job over.
        _store.WatchPaused = true;
        ClaimResult.Claimed? takeover = null;
        for (var i = 0; i < 100 && takeover is null; i++)
        {
            await Task.Delay(50);
            takeover = await _store.Inner.TryClaimAsync(jobId, "node-b", TimeSpan.FromMinutes(1), default) as ClaimResult.Claimed;
        }

        Assert.NotNull(takeover);
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(10));
        _store.WatchPaused = false;

        Assert.Equal(JobRunOutcome.Superseded, outcome);
        var state = (await _store.Inner.GetAsync(jobId, default))!;
        Assert.Equal(JobStatus.Running, state.Status);
        Assert.Equal("node-b", state.Owner);
        Assert.Equal(2, state.Attempt);
        Assert.Equal(takeover.State.EventCount, state.EventCount);
    }

    [Fact]
    public async Task RunAgent_PausedPastItsLeaseAndTakenOver_ThrowsSoItsWorkItemIsNotCompleted()
    {
        // A superseded run's result must not reach the orchestration: the delivery that took over completes the work
        // item, and a returned hand-back would schedule a second run competing with the live one.
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":200,"interval_ms":20}""", start: false);
        var jobId = accepted.Payload.JobId;
        var run = _runtime.Get<Runtime.Jobs.Orchestration.RunAgentActivity>().RunJobAsync(jobId);
        await Task.Delay(200);

        _store.WatchPaused = true;
        ClaimResult.Claimed? takeover = null;
        for (var i = 0; i < 100 && takeover is null; i++)
        {
            await Task.Delay(50);
            takeover = await _store.Inner.TryClaimAsync(jobId, "node-b", TimeSpan.FromMinutes(1), default) as ClaimResult.Claimed;
        }

        Assert.NotNull(takeover);
        await Assert.ThrowsAsync<JobRunAbandonedException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        _store.WatchPaused = false;
    }

    [Fact]
    public async Task Run_ShutDownFourTimesThenRunToTheEnd_HandoffsAreNotFailuresAndTheJobSucceeds()
    {
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":30,"interval_ms":20}""", start: false);
        var jobId = accepted.Payload.JobId;

        for (var i = 1; i <= 4; i++)
        {
            using var shutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            Assert.Equal(JobRunOutcome.Abandoned, await _runtime.Runner.RunAsync(jobId, shutdown.Token));
            var handedBack = (await _store.Inner.GetAsync(jobId, default))!;
            Assert.Null(handedBack.Owner);
            Assert.Equal(i, handedBack.Handoffs);
        }

        var last = await _runtime.Runner.RunAsync(jobId, default);
        await _runtime.Fanout.DrainAsync(jobId, default);

        Assert.Equal(JobRunOutcome.Finished, last);
        var state = (await _store.Inner.GetAsync(jobId, default))!;
        Assert.Equal(JobStatus.Success, state.Status);
        Assert.Equal(5, state.Attempt);
        var progress = RuntimeHarness.EventBodies(await _runtime.ReadEnvelopesAsync(session), "progress").Select(b => b.GetProperty("current").GetInt32());
        Assert.Equal(Enumerable.Range(1, 30), progress);
    }

    [Fact]
    public void Owner_TwoProcessesWithTheSameMachineNameAndPid_StillDistinct()
    {
        // Containers run every host as PID 1 on look-alike names: the owner carries a per-process-start nonce.
        var options = new JobRunnerOptions { WorkerName = "host:1" };

        Assert.StartsWith("host:1/", options.Owner, StringComparison.Ordinal);
        Assert.True(options.Owner.Length > "host:1/".Length + 8);
    }
}

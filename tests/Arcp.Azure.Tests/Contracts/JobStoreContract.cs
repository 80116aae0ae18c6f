using Arcp.Runtime.Jobs;

using Arcp.Protocol.Messages;

namespace Arcp.Azure.Tests.Contracts;

public abstract class JobStoreContract : ContractTestBase
{
    /// <summary>Trials per race; each trial is a fresh job with both writers started together.</summary>
    protected virtual int RaceTrials => 500;

    [Fact]
    public async Task Create_SameIdTwice_SecondReturnsFalse()
    {
        var job = await CreateJobAsync();

        var again = await Stores.Jobs.CreateAsync(NewDefinition(job.JobId), "{}", default);

        Assert.False(again);
        Assert.Equal("""{"n":1}""", await Stores.Jobs.GetInputAsync(job.JobId, default));
    }

    [Fact]
    public async Task Create_NewJob_IsPendingWithDefinitionAndBudget()
    {
        var definition = NewDefinition(budget: new Dictionary<string, decimal> { ["USD"] = 2.50m, ["credits"] = 0.1m });

        await Stores.Jobs.CreateAsync(definition, "{}", default);
        var state = await Stores.Jobs.GetAsync(definition.JobId, default);

        Assert.NotNull(state);
        Assert.Equal(JobStatus.Pending, state.Status);
        Assert.Equal(definition.Agent, state.Definition.Agent);
        Assert.Equal(definition.TraceId, state.Definition.TraceId);
        Assert.Equal(2.50m, state.Budget["USD"]);
        Assert.Equal(0.1m, state.Budget["credits"]);
        Assert.Equal(0, state.EventCount);
    }

    [Fact]
    public async Task TryClaim_Pending_RunningWithAttemptOne()
    {
        var job = await CreateJobAsync();

        var claim = await Stores.Jobs.TryClaimAsync(job.JobId, "worker-1", TimeSpan.FromSeconds(30), default);

        var claimed = Assert.IsType<ClaimResult.Claimed>(claim);
        Assert.Equal(JobStatus.Running, claimed.State.Status);
        Assert.Equal(1, claimed.State.Attempt);
        Assert.Equal("worker-1", claimed.State.Owner);
        Assert.Equal(Time.GetUtcNow(), claimed.State.StartedAt);
    }

    [Fact]
    public async Task TryClaim_HeldByLiveOwner_HeldByOther()
    {
        var job = await CreateRunningJobAsync();

        var claim = await Stores.Jobs.TryClaimAsync(job.JobId, "worker-2", TimeSpan.FromSeconds(30), default);

        Assert.IsType<ClaimResult.HeldByOther>(claim);
    }

    [Fact]
    public async Task TryClaim_OwnerLeaseLapsed_TakenOverWithNextAttempt()
    {
        var job = await CreateRunningJobAsync();
        Time.Advance(TimeSpan.FromMinutes(6));

        var claim = await Stores.Jobs.TryClaimAsync(job.JobId, "worker-2", TimeSpan.FromSeconds(30), default);

        var claimed = Assert.IsType<ClaimResult.Claimed>(claim);
        Assert.Equal("worker-2", claimed.State.Owner);
        Assert.Equal(2, claimed.State.Attempt);
    }

    [Fact]
    public async Task TryClaim_SameOwnerWhileItsClaimLives_HeldByOther()
    {
        // Owners are unique per process start: the same owner claiming again is a second delivery while the first
        // run goes on, and two runs of one job must never overlap.
        var job = await CreateRunningJobAsync();

        var claim = await Stores.Jobs.TryClaimAsync(job.JobId, "worker-1", TimeSpan.FromSeconds(30), default);

        Assert.Equal(1, Assert.IsType<ClaimResult.HeldByOther>(claim).Current.Attempt);
    }

    [Fact]
    public async Task Children_RecordedTwiceAndListed_OncePerChildOnlyTheirParents()
    {
        var parent = await CreateJobAsync();
        var other = await CreateJobAsync();

        await Stores.Jobs.RecordChildAsync(parent.JobId, "job_child_b", default);
        await Stores.Jobs.RecordChildAsync(parent.JobId, "job_child_a", default);
        await Stores.Jobs.RecordChildAsync(parent.JobId, "job_child_b", default);

        Assert.Equal(["job_child_a", "job_child_b"], (await Stores.Jobs.ListChildrenAsync(parent.JobId, default)).Order(StringComparer.Ordinal));
        Assert.Empty(await Stores.Jobs.ListChildrenAsync(other.JobId, default));
        Assert.NotNull(await Stores.Jobs.GetAsync(parent.JobId, default));
        Assert.Empty(await Stores.Jobs.GetCompletedStepsAsync(parent.JobId, default));
    }

    [Fact]
    public async Task TryClaim_CancelRequestedBeforeStart_CancelPending()
    {
        var job = await CreateJobAsync();
        await Stores.Jobs.RequestCancelAsync(job.JobId, "changed my mind", default);

        var claim = await Stores.Jobs.TryClaimAsync(job.JobId, "worker-1", TimeSpan.FromSeconds(30), default);

        Assert.IsType<ClaimResult.CancelPending>(claim);
    }

    [Fact]
    public async Task TryClaim_UnknownJob_NotFound()
    {
        Assert.IsType<ClaimResult.NotFound>(await Stores.Jobs.TryClaimAsync("job_missing", "w", TimeSpan.FromSeconds(1), default));
    }

    [Fact]
    public async Task AppendEvents_InOrder_IndicesFromOneAndReadBackIdentical()
    {
        var job = await CreateRunningJobAsync();
        var first = new[] { LogEvent(1, Time.GetUtcNow()), LogEvent(2, Time.GetUtcNow()) };
        var second = new[] { LogEvent(3, Time.GetUtcNow()) };

        var a1 = Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(job, first, null, default));
        var a2 = Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(a1.State, second, null, default));
        var events = await ReadAllEventsAsync(job.JobId);

        Assert.Equal(1, a1.FirstIndex);
        Assert.Equal(3, a2.FirstIndex);
        Assert.Equal(3, a2.State.EventCount);
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Index));
        Assert.Equal(first.Concat(second).Select(e => (e.MessageId, e.PayloadJson, e.Timestamp)), events.Select(e => (e.MessageId, e.PayloadJson, e.Timestamp)));
    }

    [Fact]
    public async Task AppendEvents_StaleVersion_ConflictAndNothingWritten()
    {
        var job = await CreateRunningJobAsync();
        await Stores.Jobs.AppendEventsAsync(job, [LogEvent(1, Time.GetUtcNow())], null, default);

        var stale = await Stores.Jobs.AppendEventsAsync(job, [LogEvent(2, Time.GetUtcNow())], null, default);

        var conflict = Assert.IsType<AppendResult.Conflict>(stale);
        Assert.Equal(1, conflict.Current.EventCount);
        Assert.Single(await ReadAllEventsAsync(job.JobId));
    }

    [Fact]
    public async Task AppendEvents_BudgetProgress_StoredWithEventsExactly()
    {
        var job = await CreateRunningJobAsync();

        var appended = Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(
            job, [LogEvent(1, Time.GetUtcNow())], new JobProgress(new Dictionary<string, decimal> { ["USD"] = 0.30m - 0.1m - 0.2m }, "res_1"), default));
        var read = await Stores.Jobs.GetAsync(job.JobId, default);

        Assert.Equal(0m, appended.State.Budget["USD"]);
        Assert.Equal(0m, read!.Budget["USD"]);
        Assert.Equal("res_1", read.ResultId);
    }

    [Fact]
    public async Task AppendEvents_WithCompletedStep_StepAndEventsLandTogether()
    {
        var job = await CreateRunningJobAsync();

        var appended = Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(
            job, [LogEvent(1, Time.GetUtcNow())], new JobProgress(CompletedSteps: [new CompletedStep("step/1#a", """{"n":1}"""), new CompletedStep("step/1#b", "2")]), default));
        var stale = await Stores.Jobs.AppendEventsAsync(job, [LogEvent(2, Time.GetUtcNow())], new JobProgress(CompletedSteps: [new CompletedStep("step-2", "{}")]), default);
        var steps = await Stores.Jobs.GetCompletedStepsAsync(job.JobId, default);

        Assert.IsType<AppendResult.Conflict>(stale);
        Assert.Equal(1, appended.State.EventCount);
        Assert.Equal("""{"n":1}""", Assert.Single(steps, kv => kv.Key == "step/1#a").Value);
        Assert.Equal("2", steps["step/1#b"]);
        Assert.DoesNotContain("step-2", steps.Keys);
    }

    [Fact]
    public async Task AppendEvents_AfterTerminal_SealedAndNothingWritten()
    {
        var job = await CreateRunningJobAsync();
        var finished = Assert.IsType<FinishResult.Finished>(await Stores.Jobs.TryFinishAsync(job.JobId, Success(Time.GetUtcNow()), [], null, default));

        var append = await Stores.Jobs.AppendEventsAsync(finished.State, [LogEvent(9, Time.GetUtcNow())], null, default);
        var staleAppend = await Stores.Jobs.AppendEventsAsync(job, [LogEvent(9, Time.GetUtcNow())], null, default);

        Assert.IsType<AppendResult.Sealed>(append);
        Assert.IsType<AppendResult.Sealed>(staleAppend);
        var events = await ReadAllEventsAsync(job.JobId);
        Assert.Single(events);
        Assert.True(events[^1].IsTerminal);
    }

    [Fact]
    public async Task TryFinish_WithPrecedingEvents_AllInOneWriteAndTerminalLast()
    {
        var job = await CreateRunningJobAsync();

        var outcome = await Stores.Jobs.TryFinishAsync(job.JobId, Success(Time.GetUtcNow()), [LogEvent(1, Time.GetUtcNow()), LogEvent(2, Time.GetUtcNow())], job, default);

        var finished = Assert.IsType<FinishResult.Finished>(outcome);
        Assert.Equal(3, finished.TerminalIndex);
        Assert.True(finished.State.Sealed);
        Assert.Equal(JobStatus.Success, finished.State.Status);
        Assert.Null(finished.State.Owner);
        var events = await ReadAllEventsAsync(job.JobId);
        Assert.Equal(["job.event", "job.event", "job.result"], events.Select(e => e.Type));
    }

    [Fact]
    public async Task TryFinish_PendingToTimedOut_NotAllowedAndNothingWritten()
    {
        var job = await CreateJobAsync();

        var outcome = await Stores.Jobs.TryFinishAsync(job.JobId, Failure(JobStatus.TimedOut, "TIMEOUT", Time.GetUtcNow()), [], null, default);

        Assert.IsType<FinishResult.NotAllowed>(outcome);
        Assert.Empty(await ReadAllEventsAsync(job.JobId));
    }

    [Fact]
    public async Task TryFinish_PendingToCancelled_Allowed()
    {
        var job = await CreateJobAsync();

        var outcome = await Stores.Jobs.TryFinishAsync(job.JobId, Failure(JobStatus.Cancelled, "CANCELLED", Time.GetUtcNow()), [], null, default);

        Assert.Equal(JobStatus.Cancelled, Assert.IsType<FinishResult.Finished>(outcome).State.Status);
    }

    [Fact]
    public async Task TryFinish_SuccessAfterCancelRequested_CancelPendingAndNothingWritten()
    {
        var job = await CreateRunningJobAsync();
        await Stores.Jobs.RequestCancelAsync(job.JobId, null, default);

        var outcome = await Stores.Jobs.TryFinishAsync(job.JobId, Success(Time.GetUtcNow()), [], job, default);

        Assert.IsType<FinishResult.CancelPending>(outcome);
        Assert.Equal(JobStatus.Running, (await Stores.Jobs.GetAsync(job.JobId, default))!.Status);
        Assert.Empty(await ReadAllEventsAsync(job.JobId));
    }

    [Fact]
    public async Task RequestCancel_LateAfterSuccess_AlreadyTerminalStatusKeptNoEvent()
    {
        // Seed 001: a cancel after completion must never flip the job to cancelled or add a second terminal event.
        var job = await CreateRunningJobAsync();
        await Stores.Jobs.TryFinishAsync(job.JobId, Success(Time.GetUtcNow()), [], null, default);
        var before = await Stores.Jobs.GetAsync(job.JobId, default);

        var cancel = await Stores.Jobs.RequestCancelAsync(job.JobId, "too late", default);
        var finishCancelled = await Stores.Jobs.TryFinishAsync(job.JobId, Failure(JobStatus.Cancelled, "CANCELLED", Time.GetUtcNow()), [], null, default);
        var after = await Stores.Jobs.GetAsync(job.JobId, default);

        Assert.IsType<CancelRequestResult.AlreadyTerminal>(cancel);
        Assert.IsType<FinishResult.AlreadyTerminal>(finishCancelled);
        Assert.Equal(JobStatus.Success, after!.Status);
        Assert.False(after.CancelRequested);
        Assert.Equal(before!.Version, after.Version);
        Assert.Single(await ReadAllEventsAsync(job.JobId));
    }

    [Fact]
    public async Task RequestCancel_Twice_SecondReportsAlreadyRequested()
    {
        var job = await CreateRunningJobAsync();

        var first = Assert.IsType<CancelRequestResult.Requested>(await Stores.Jobs.RequestCancelAsync(job.JobId, "a", default));
        var second = Assert.IsType<CancelRequestResult.Requested>(await Stores.Jobs.RequestCancelAsync(job.JobId, "b", default));

        Assert.False(first.AlreadyRequested);
        Assert.True(second.AlreadyRequested);
        Assert.Equal("a", second.State.CancelReason);
    }

    [Fact]
    public async Task RequestCancel_UnknownJob_NotFound()
    {
        Assert.IsType<CancelRequestResult.NotFound>(await Stores.Jobs.RequestCancelAsync("job_missing", null, default));
    }

    [Fact]
    public async Task Race_FinishSuccessVsCancel_ExactlyOneTerminalEventNeverFlipped()
    {
        await RunRaceAsync(
            async job => await Stores.Jobs.TryFinishAsync(job.JobId, Success(Time.GetUtcNow()), [LogEvent(1, Time.GetUtcNow())], job, default),
            async job =>
            {
                var cancel = await Stores.Jobs.RequestCancelAsync(job.JobId, null, default);
                return cancel is CancelRequestResult.Requested
                    ? await Stores.Jobs.TryFinishAsync(job.JobId, Failure(JobStatus.Cancelled, "CANCELLED", Time.GetUtcNow()), [], null, default)
                    : new FinishResult.AlreadyTerminal(((CancelRequestResult.AlreadyTerminal)cancel).Current);
            },
            allowed: [JobStatus.Success, JobStatus.Cancelled]);
    }

    [Fact]
    public async Task Race_FinishSuccessVsTimeout_ExactlyOneTerminalEvent()
    {
        await RunRaceAsync(
            async job => await Stores.Jobs.TryFinishAsync(job.JobId, Success(Time.GetUtcNow()), [], job, default),
            async job => await Stores.Jobs.TryFinishAsync(job.JobId, Failure(JobStatus.TimedOut, "TIMEOUT", Time.GetUtcNow()), [], null, default),
            allowed: [JobStatus.Success, JobStatus.TimedOut]);
    }

    [Fact]
    public async Task Race_CancelVsCancel_ExactlyOneTerminalEvent()
    {
        Func<JobState, Task<FinishResult>> cancel = async job =>
        {
            var request = await Stores.Jobs.RequestCancelAsync(job.JobId, null, default);
            return request is CancelRequestResult.AlreadyTerminal terminal
                ? new FinishResult.AlreadyTerminal(terminal.Current)
                : await Stores.Jobs.TryFinishAsync(job.JobId, Failure(JobStatus.Cancelled, "CANCELLED", Time.GetUtcNow()), [], null, default);
        };

        await RunRaceAsync(cancel, cancel, allowed: [JobStatus.Cancelled]);
    }

    private async Task RunRaceAsync(Func<JobState, Task<FinishResult>> first, Func<JobState, Task<FinishResult>> second, JobStatus[] allowed)
    {
        using var gate = new SemaphoreSlim(8);
        var trials = Enumerable.Range(0, RaceTrials).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var job = await CreateRunningJobAsync();
                using var start = new ManualResetEventSlim(false);
                var a = Task.Run(() => { start.Wait(); return first(job); });
                var b = Task.Run(() => { start.Wait(); return second(job); });
                start.Set();
                var outcomes = await Task.WhenAll(a, b);

                var state = await Stores.Jobs.GetAsync(job.JobId, default);
                var events = await ReadAllEventsAsync(job.JobId);
                Assert.Contains(state!.Status, allowed);
                Assert.True(state.Sealed);
                Assert.Single(events, e => e.IsTerminal);
                Assert.True(events[^1].IsTerminal, "the terminal event must be the last event");
                Assert.Single(outcomes, o => o is FinishResult.Finished);
                var winner = outcomes.OfType<FinishResult.Finished>().Single();
                Assert.Equal(winner.State.Status, state.Status);
                if (outcomes[0] is FinishResult.Finished { State.Status: JobStatus.Success })
                {
                    Assert.Equal(JobStatus.Success, state.Status);
                }
            }
            finally
            {
                gate.Release();
            }
        });

        await Task.WhenAll(trials);
    }

    [Fact]
    public async Task ReadEvents_FromMiddle_StartsAtIndexAndHonoursMax()
    {
        var job = await CreateRunningJobAsync();
        var state = job;
        for (var i = 0; i < 5; i++)
        {
            state = Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(state, [LogEvent(i * 2, Time.GetUtcNow()), LogEvent((i * 2) + 1, Time.GetUtcNow())], null, default)).State;
        }

        var read = Assert.IsType<JobEventRead.Events>(await Stores.Jobs.ReadEventsAsync(job.JobId, 4, 3, default));
        var beyond = Assert.IsType<JobEventRead.Events>(await Stores.Jobs.ReadEventsAsync(job.JobId, 11, 3, default));

        Assert.Equal([4L, 5L, 6L], read.Items.Select(e => e.Index));
        Assert.Empty(beyond.Items);
    }

    [Theory]
    [InlineData(200 * 1024)]
    [InlineData(900 * 1024)]
    [InlineData(2 * 1024 * 1024)]
    public async Task AppendEvents_LargeBody_RoundTripsIntact(int bodyBytes)
    {
        var job = await CreateRunningJobAsync();
        var text = string.Create(bodyBytes, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i * 7 % 26));
            }
        });
        var big = new NewJobEvent("job.event", $$$"""{"kind":"thought","ts":"2026-05-13T10:00:00.000Z","body":{"text":"{{{text}}}"}}""", Time.GetUtcNow(), NewId("msg_"));

        var appended = Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(job, [LogEvent(1, Time.GetUtcNow()), big, LogEvent(3, Time.GetUtcNow())], null, default));
        var events = await ReadAllEventsAsync(job.JobId);

        Assert.Equal(3, appended.State.EventCount);
        Assert.Equal(big.PayloadJson, events[1].PayloadJson);
        Assert.Equal(big.MessageId, events[1].MessageId);
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Index));
    }

    [Fact]
    public async Task PurgeEvents_TerminalJob_ReadBelowFloorIsWindowExpired()
    {
        var job = await CreateRunningJobAsync();
        var appended = Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(job, [LogEvent(1, Time.GetUtcNow()), LogEvent(2, Time.GetUtcNow())], null, default));
        await Stores.Jobs.TryFinishAsync(job.JobId, Success(Time.GetUtcNow()), [], appended.State, default);

        var removed = await Stores.Jobs.PurgeEventsAsync(job.JobId, default);
        var read = await Stores.Jobs.ReadEventsAsync(job.JobId, 1, 10, default);

        Assert.Equal(3, removed);
        Assert.Equal(4, Assert.IsType<JobEventRead.WindowExpired>(read).Floor);
        Assert.Equal(JobStatus.Success, (await Stores.Jobs.GetAsync(job.JobId, default))!.Status);
    }

    [Fact]
    public async Task ListNonTerminal_MixedJobs_ReturnsPendingAndRunningOnly()
    {
        var pending = await CreateJobAsync();
        var running = await CreateRunningJobAsync();
        var finished = await CreateRunningJobAsync();
        await Stores.Jobs.TryFinishAsync(finished.JobId, Success(Time.GetUtcNow()), [], finished, default);

        var active = await Stores.Jobs.ListNonTerminalAsync(10_000, default);

        var ids = active.Select(s => s.JobId).ToHashSet();
        Assert.Contains(pending.JobId, ids);
        Assert.Contains(running.JobId, ids);
        Assert.DoesNotContain(finished.JobId, ids);
        Assert.All(active, s => Assert.False(s.Status.IsTerminal()));
        Assert.Equal(JobStatus.Running, active.Single(s => s.JobId == running.JobId).Status);
    }

    [Fact]
    public async Task ListNonTerminal_MaxCount_Honoured()
    {
        await CreateJobAsync();
        await CreateJobAsync();
        await CreateJobAsync();

        var active = await Stores.Jobs.ListNonTerminalAsync(2, default);

        Assert.Equal(2, active.Count);
    }

    [Fact]
    public async Task ListFinishedBefore_OnlyOldTerminalJobsWithEventsLeft()
    {
        var old = await CreateRunningJobAsync();
        await Stores.Jobs.TryFinishAsync(old.JobId, Success(Time.GetUtcNow()), [], old, default);
        var purged = await CreateRunningJobAsync();
        await Stores.Jobs.TryFinishAsync(purged.JobId, Success(Time.GetUtcNow()), [], purged, default);
        await Stores.Jobs.PurgeEventsAsync(purged.JobId, default);
        var running = await CreateRunningJobAsync();
        Time.Advance(TimeSpan.FromHours(2));
        var recent = await CreateRunningJobAsync();
        await Stores.Jobs.TryFinishAsync(recent.JobId, Success(Time.GetUtcNow()), [], recent, default);

        var listed = await Stores.Jobs.ListFinishedBeforeAsync(Time.GetUtcNow() - TimeSpan.FromHours(1), 100, default);

        Assert.Contains(listed, s => s.JobId == old.JobId);
        Assert.DoesNotContain(listed, s => s.JobId == purged.JobId || s.JobId == running.JobId || s.JobId == recent.JobId);
    }

    [Fact]
    public async Task PurgeEvents_RunningJob_KeepsEverything()
    {
        var job = await CreateRunningJobAsync();
        await Stores.Jobs.AppendEventsAsync(job, [LogEvent(1, Time.GetUtcNow())], null, default);

        Assert.Equal(0, await Stores.Jobs.PurgeEventsAsync(job.JobId, default));
        Assert.Single(await ReadAllEventsAsync(job.JobId));
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class TableJobStoreContractTests(AzuriteFixture azurite) : JobStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync(TimeProvider time) => StoreSet.TablesAsync(azurite.ConnectionString, time);
}

public sealed class InMemoryJobStoreContractTests : JobStoreContract
{
    protected override Task<StoreSet> CreateStoresAsync(TimeProvider time) => StoreSet.InMemoryAsync(time);
}

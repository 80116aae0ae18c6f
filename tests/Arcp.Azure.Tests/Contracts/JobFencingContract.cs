using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;

namespace Arcp.Azure.Tests.Contracts;

/// <summary>
/// Invariants 9 and 10: every write after a claim is fenced on that claim, and a retried commit whose reply was
/// lost is recognised, not applied twice. Runs on both stores.
/// </summary>
public abstract class JobFencingContract : ContractTestBase
{
    [Fact]
    public async Task Append_ByRunnerWhoseClaimWasTakenOver_SupersededAndNothingWritten()
    {
        // The old runner's version is stale, so the store re-reads: the fresh row names another claim and the append
        // is not re-applied on top of it (the writer used to re-append after every conflict).
        var (stale, _) = await TakenOverAsync();

        var append = await Stores.Jobs.AppendEventsAsync(stale, [LogEvent(1, Time.GetUtcNow())], null, JobWrite.FencedBy(JobClaim.Of(stale)), default);

        Assert.IsType<AppendResult.Superseded>(append);
        Assert.Empty(await ReadAllEventsAsync(stale.JobId));
    }

    [Fact]
    public async Task Finish_ByRunnerWhoseClaimWasTakenOver_SupersededAndStillRunning()
    {
        var (stale, _) = await TakenOverAsync();

        var finish = await Stores.Jobs.TryFinishAsync(stale.JobId, Success(Time.GetUtcNow()), [], stale, JobWrite.FencedBy(JobClaim.Of(stale)), default);

        Assert.IsType<FinishResult.Superseded>(finish);
        var state = await Stores.Jobs.GetAsync(stale.JobId, default);
        Assert.Equal(JobStatus.Running, state!.Status);
        Assert.Equal("worker-2", state.Owner);
    }

    [Fact]
    public async Task Renew_AfterTakeover_NullAndNewOwnerKeepsTheJob()
    {
        var (stale, _) = await TakenOverAsync();

        var renewed = await Stores.Jobs.RenewClaimAsync(JobClaim.Of(stale), TimeSpan.FromMinutes(5), default);

        Assert.Null(renewed);
        Assert.Equal("worker-2", (await Stores.Jobs.GetAsync(stale.JobId, default))!.Owner);
    }

    [Fact]
    public async Task Renew_SameOwnerOlderAttempt_Null()
    {
        // The owner name alone is not the claim: a second claim by the same process (after a release) fences the first.
        var job = await CreateRunningJobAsync();
        Assert.True(await Stores.Jobs.ReleaseClaimAsync(JobClaim.Of(job), default));
        Assert.IsType<ClaimResult.Claimed>(await Stores.Jobs.TryClaimAsync(job.JobId, "worker-1", TimeSpan.FromMinutes(5), default));

        Assert.Null(await Stores.Jobs.RenewClaimAsync(JobClaim.Of(job), TimeSpan.FromMinutes(5), default));
    }

    [Fact]
    public async Task Release_ThenClaim_TakenAtOnceAndNotCountedAsFailed()
    {
        var job = await CreateRunningJobAsync();

        var released = await Stores.Jobs.ReleaseClaimAsync(JobClaim.Of(job), default);
        var next = await Stores.Jobs.TryClaimAsync(job.JobId, "worker-2", TimeSpan.FromMinutes(5), default);

        Assert.True(released);
        var claimed = Assert.IsType<ClaimResult.Claimed>(next).State;
        Assert.Equal(2, claimed.Attempt);
        Assert.Equal(1, claimed.Handoffs);
        Assert.Equal(1, claimed.FailedAttempts);
    }

    [Fact]
    public async Task Release_OfClaimAlreadyTakenOver_FalseAndTakeoverKept()
    {
        var (stale, current) = await TakenOverAsync();

        Assert.False(await Stores.Jobs.ReleaseClaimAsync(JobClaim.Of(stale), default));
        var state = await Stores.Jobs.GetAsync(stale.JobId, default);
        Assert.Equal(current.Attempt, state!.Attempt);
        Assert.Equal("worker-2", state.Owner);
    }

    [Fact]
    public async Task Append_RetriedWithSameWriteAfterItLanded_RecognisedAndWrittenOnce()
    {
        var job = await CreateRunningJobAsync();
        var write = JobWrite.FencedBy(JobClaim.Of(job));
        var events = new[] { LogEvent(1, Time.GetUtcNow()), LogEvent(2, Time.GetUtcNow()) };
        Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(job, events, null, write, default));

        // The reply was lost: the writer retries the same write from the version it had.
        var retry = await Stores.Jobs.AppendEventsAsync(job, events, null, write, default);

        var appended = Assert.IsType<AppendResult.Appended>(retry);
        Assert.Equal(1, appended.FirstIndex);
        Assert.Equal(2, (await ReadAllEventsAsync(job.JobId)).Count);
    }

    [Fact]
    public async Task Append_RetriedAfterItLandedAndACancelLandedToo_RecognisedAndWrittenOnce()
    {
        var job = await CreateRunningJobAsync();
        var write = JobWrite.FencedBy(JobClaim.Of(job));
        var events = new[] { LogEvent(1, Time.GetUtcNow()) };
        Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(job, events, null, write, default));
        Assert.IsType<CancelRequestResult.Requested>(await Stores.Jobs.RequestCancelAsync(job.JobId, "stop", default));

        var retry = await Stores.Jobs.AppendEventsAsync(job, events, null, write, default);

        Assert.IsType<AppendResult.Appended>(retry);
        Assert.Single(await ReadAllEventsAsync(job.JobId));
    }

    [Fact]
    public async Task Append_OtherWriteAfterConflict_StillAppends()
    {
        // Recognition is by commit id, not by "something changed": a different write after a conflict is applied.
        var job = await CreateRunningJobAsync();
        Assert.IsType<CancelRequestResult.Requested>(await Stores.Jobs.RequestCancelAsync(job.JobId, "stop", default));

        var append = await Stores.Jobs.AppendEventsAsync(job, [LogEvent(1, Time.GetUtcNow())], null, JobWrite.FencedBy(JobClaim.Of(job)), default);

        var conflict = Assert.IsType<AppendResult.Conflict>(append);
        Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(conflict.Current, [LogEvent(1, Time.GetUtcNow())], null, JobWrite.FencedBy(JobClaim.Of(job)), default));
        Assert.Single(await ReadAllEventsAsync(job.JobId));
    }

    [Fact]
    public async Task Finish_RetriedWithSameWriteAfterItLanded_FinishedOnceNotAlreadyTerminal()
    {
        var job = await CreateRunningJobAsync();
        var write = JobWrite.FencedBy(JobClaim.Of(job));
        var terminal = Success(Time.GetUtcNow());
        Assert.IsType<FinishResult.Finished>(await Stores.Jobs.TryFinishAsync(job.JobId, terminal, [LogEvent(1, Time.GetUtcNow())], job, write, default));

        var retry = await Stores.Jobs.TryFinishAsync(job.JobId, terminal, [LogEvent(1, Time.GetUtcNow())], job, write, default);

        var finished = Assert.IsType<FinishResult.Finished>(retry);
        Assert.Equal(2, finished.TerminalIndex);
        var events = await ReadAllEventsAsync(job.JobId);
        Assert.Equal(2, events.Count);
        Assert.Single(events, e => e.Type == JobEventTypes.Result);
    }

    /// <summary>A job claimed by worker-1, whose lease lapsed, then claimed by worker-2: (worker-1's view, the current state).</summary>
    private async Task<(JobState Stale, JobState Current)> TakenOverAsync()
    {
        var job = await CreateRunningJobAsync();
        Time.Advance(TimeSpan.FromMinutes(6));
        var takeover = Assert.IsType<ClaimResult.Claimed>(await Stores.Jobs.TryClaimAsync(job.JobId, "worker-2", TimeSpan.FromMinutes(5), default));
        return (job, takeover.State);
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class TableJobFencingContractTests(AzuriteFixture azurite) : JobFencingContract
{
    protected override Task<StoreSet> CreateStoresAsync(TimeProvider time) => StoreSet.TablesAsync(azurite.ConnectionString, time);
}

public sealed class InMemoryJobFencingContractTests : JobFencingContract
{
    protected override Task<StoreSet> CreateStoresAsync(TimeProvider time) => StoreSet.InMemoryAsync(time);
}

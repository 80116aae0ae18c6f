using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;

namespace Arcp.Azure.Tests.Contracts;

/// <summary>
/// A claim decided by <see cref="IJobStore.PrepareClaimAsync"/> and stored by the run's first write
/// (<see cref="JobWrite.Claiming"/>): the claim and what the write carries land in one commit, fenced exactly as a
/// stored claim is (invariants 9 and 10) — another claim stored first supersedes it, a cancel requested first wins,
/// and a retried commit whose reply was lost is recognised. Runs on both stores.
/// </summary>
public abstract class PendingClaimContract : ContractTestBase
{
    private static readonly TimeSpan s_lease = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Prepare_FreshJob_DecidesWithoutWriting()
    {
        var job = await CreateJobAsync();

        var prepared = Assert.IsType<ClaimResult.Claimed>(await Stores.Jobs.PrepareClaimAsync(job.JobId, "worker-1", s_lease, default)).State;

        Assert.Equal(JobStatus.Running, prepared.Status);
        Assert.StartsWith("worker-1#", prepared.Owner, StringComparison.Ordinal);
        Assert.Equal(1, prepared.Attempt);
        var stored = await Stores.Jobs.GetAsync(job.JobId, default);
        Assert.Equal(JobStatus.Pending, stored!.Status);
        Assert.Null(stored.Owner);
        Assert.Equal(0, stored.Attempt);
    }

    [Fact]
    public async Task FirstAppend_CarriesThePendingClaim_ClaimAndEventsStoredTogether()
    {
        var prepared = await PreparedAsync("worker-1");

        var append = await Stores.Jobs.AppendEventsAsync(prepared, [LogEvent(1, Time.GetUtcNow())], null, Claiming(prepared), default);

        var state = Assert.IsType<AppendResult.Appended>(append).State;
        var stored = await Stores.Jobs.GetAsync(prepared.JobId, default);
        Assert.Equal(JobStatus.Running, stored!.Status);
        Assert.Equal((prepared.Owner, 1), (stored.Owner, stored.Attempt));
        Assert.Equal(prepared.OwnerLeaseExpiresAt, stored.OwnerLeaseExpiresAt);
        Assert.Equal(state.Version, stored.Version);
        Assert.Single(await ReadAllEventsAsync(prepared.JobId));

        // From now on the claim is an ordinary stored one: fenced writes and renewals hold.
        Assert.NotNull(await Stores.Jobs.RenewClaimAsync(JobClaim.Of(prepared), s_lease, default));
    }

    [Fact]
    public async Task Finish_CarriesThePendingClaim_OneCommitFromPendingToSuccess()
    {
        var prepared = await PreparedAsync("worker-1");

        var finish = await Stores.Jobs.TryFinishAsync(prepared.JobId, Success(Time.GetUtcNow()), [], prepared, Claiming(prepared), default);

        var finished = Assert.IsType<FinishResult.Finished>(finish).State;
        Assert.Equal(JobStatus.Success, finished.Status);
        Assert.Equal(1, finished.Attempt);
        Assert.NotNull(finished.StartedAt);
        Assert.Single(await ReadAllEventsAsync(prepared.JobId), e => e.Type == JobEventTypes.Result);
    }

    [Fact]
    public async Task Append_AnotherClaimStoredFirst_SupersededAndNothingWritten()
    {
        // Two deliveries of one job both decided a claim; the other stored its claim first.
        var prepared = await PreparedAsync("worker-1");
        Assert.IsType<ClaimResult.Claimed>(await Stores.Jobs.TryClaimAsync(prepared.JobId, "worker-2", s_lease, default));

        var append = await Stores.Jobs.AppendEventsAsync(prepared, [LogEvent(1, Time.GetUtcNow())], null, Claiming(prepared), default);

        Assert.IsType<AppendResult.Superseded>(append);
        Assert.Empty(await ReadAllEventsAsync(prepared.JobId));
        Assert.Equal("worker-2", (await Stores.Jobs.GetAsync(prepared.JobId, default))!.Owner);
    }

    [Fact]
    public async Task Append_TwoDeliveriesInOneProcessDecidedAtTheSameVersion_OnlyTheFirstStoredHoldsTheJob()
    {
        // One process (one owner) got the same job twice before either stored its claim: both decided at one version.
        var job = await CreateJobAsync();
        var first = Assert.IsType<ClaimResult.Claimed>(await Stores.Jobs.PrepareClaimAsync(job.JobId, "worker-1", s_lease, default)).State;
        var second = Assert.IsType<ClaimResult.Claimed>(await Stores.Jobs.PrepareClaimAsync(job.JobId, "worker-1", s_lease, default)).State;
        Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(first, [LogEvent(1, Time.GetUtcNow())], null, Claiming(first), default));

        // Act: the second run's first write, and its retry on the state it is shown.
        var append = await Stores.Jobs.AppendEventsAsync(second, [LogEvent(1, Time.GetUtcNow())], null, Claiming(second), default);
        if (append is AppendResult.Conflict conflict)
        {
            append = await Stores.Jobs.AppendEventsAsync(conflict.Current, [LogEvent(1, Time.GetUtcNow())], null, Claiming(second), default);
        }

        // Assert: fenced out; the job holds the first run's events only.
        Assert.IsType<AppendResult.Superseded>(append);
        Assert.Single(await ReadAllEventsAsync(job.JobId));
        Assert.Equal(first.Owner, (await Stores.Jobs.GetAsync(job.JobId, default))!.Owner);
    }

    [Fact]
    public async Task Finish_AnotherPendingClaimStoredFirst_SupersededAndStillRunning()
    {
        var mine = await PreparedAsync("worker-1");
        var theirs = Assert.IsType<ClaimResult.Claimed>(await Stores.Jobs.PrepareClaimAsync(mine.JobId, "worker-2", s_lease, default)).State;
        Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(theirs, [], null, Claiming(theirs), default));

        var finish = await Stores.Jobs.TryFinishAsync(mine.JobId, Success(Time.GetUtcNow()), [], mine, Claiming(mine), default);

        Assert.IsType<FinishResult.Superseded>(finish);
        var stored = await Stores.Jobs.GetAsync(mine.JobId, default);
        Assert.Equal(JobStatus.Running, stored!.Status);
        Assert.Equal(theirs.Owner, stored.Owner);
    }

    [Fact]
    public async Task Append_AfterALapsedClaimWasRenewedByItsOwner_Superseded()
    {
        // The prepared takeover of a lapsed claim meets that claim alive again: a live claim is never taken over.
        var job = await CreateRunningJobAsync();
        Time.Advance(TimeSpan.FromMinutes(6));
        var takeover = Assert.IsType<ClaimResult.Claimed>(await Stores.Jobs.PrepareClaimAsync(job.JobId, "worker-2", s_lease, default)).State;
        Assert.NotNull(await Stores.Jobs.RenewClaimAsync(JobClaim.Of(job), s_lease, default));

        var append = await Stores.Jobs.AppendEventsAsync(takeover, [LogEvent(1, Time.GetUtcNow())], null, Claiming(takeover), default);

        Assert.IsType<AppendResult.Superseded>(append);
        Assert.Equal("worker-1", (await Stores.Jobs.GetAsync(job.JobId, default))!.Owner);
    }

    [Fact]
    public async Task Append_CancelRequestedFirst_CancelPendingAndNothingWritten()
    {
        var prepared = await PreparedAsync("worker-1");
        Assert.IsType<CancelRequestResult.Requested>(await Stores.Jobs.RequestCancelAsync(prepared.JobId, "stop", default));

        var append = await Stores.Jobs.AppendEventsAsync(prepared, [LogEvent(1, Time.GetUtcNow())], null, Claiming(prepared), default);

        Assert.IsType<AppendResult.CancelPending>(append);
        Assert.Empty(await ReadAllEventsAsync(prepared.JobId));
        var stored = await Stores.Jobs.GetAsync(prepared.JobId, default);
        Assert.Equal(JobStatus.Pending, stored!.Status);
        Assert.Null(stored.Owner);
    }

    [Fact]
    public async Task Finish_CancelRequestedFirst_SuccessRefusedThenCancelledWithoutTheClaim()
    {
        var prepared = await PreparedAsync("worker-1");
        Assert.IsType<CancelRequestResult.Requested>(await Stores.Jobs.RequestCancelAsync(prepared.JobId, "stop", default));
        var write = Claiming(prepared);

        var success = await Stores.Jobs.TryFinishAsync(prepared.JobId, Success(Time.GetUtcNow()), [], prepared, write, default);
        var pending = Assert.IsType<FinishResult.CancelPending>(success);
        var cancelled = await Stores.Jobs.TryFinishAsync(prepared.JobId, Cancelled(Time.GetUtcNow()), [], pending.Current, write, default);

        var state = Assert.IsType<FinishResult.Finished>(cancelled).State;
        Assert.Equal(JobStatus.Cancelled, state.Status);
        Assert.Equal(0, state.Attempt);
        Assert.Single(await ReadAllEventsAsync(prepared.JobId));
    }

    [Fact]
    public async Task Append_CarryingTheClaim_RetriedAfterItLanded_RecognisedAndWrittenOnce()
    {
        var prepared = await PreparedAsync("worker-1");
        var write = Claiming(prepared);
        var events = new[] { LogEvent(1, Time.GetUtcNow()) };
        Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(prepared, events, null, write, default));

        // The reply was lost: the writer retries the same write from the version it had, claim and all.
        var retry = await Stores.Jobs.AppendEventsAsync(prepared, events, null, write, default);

        Assert.Equal(1, Assert.IsType<AppendResult.Appended>(retry).FirstIndex);
        Assert.Single(await ReadAllEventsAsync(prepared.JobId));
        Assert.Equal(1, (await Stores.Jobs.GetAsync(prepared.JobId, default))!.Attempt);
    }

    [Fact]
    public async Task Append_CarryingTheClaim_AfterAnUnrelatedChange_RetriedOnTheFreshStateWithTheClaim()
    {
        // The version the claim was decided on is stale (say, a node's cached create), but nothing took the job.
        var prepared = await PreparedAsync("worker-1");
        var stored = await Stores.Jobs.GetAsync(prepared.JobId, default);
        Assert.IsType<AppendResult.Appended>(await Stores.Jobs.AppendEventsAsync(stored!, [LogEvent(1, Time.GetUtcNow())], null, JobWrite.Unfenced(), default));
        var write = Claiming(prepared);

        var conflict = Assert.IsType<AppendResult.Conflict>(await Stores.Jobs.AppendEventsAsync(prepared, [LogEvent(2, Time.GetUtcNow())], null, write, default));
        var appended = await Stores.Jobs.AppendEventsAsync(conflict.Current, [LogEvent(2, Time.GetUtcNow())], null, write, default);

        Assert.IsType<AppendResult.Appended>(appended);
        stored = await Stores.Jobs.GetAsync(prepared.JobId, default);
        Assert.Equal((prepared.Owner, 1, JobStatus.Running), (stored!.Owner, stored.Attempt, stored.Status));
        Assert.Equal(2, (await ReadAllEventsAsync(prepared.JobId)).Count);
    }

    private async Task<JobState> PreparedAsync(string owner)
    {
        var job = await CreateJobAsync();
        return Assert.IsType<ClaimResult.Claimed>(await Stores.Jobs.PrepareClaimAsync(job.JobId, owner, s_lease, default)).State;
    }

    private static JobWrite Claiming(JobState prepared) => JobWrite.Claiming(JobClaim.Of(prepared), prepared.OwnerLeaseExpiresAt!.Value);

    private static JobTermination Cancelled(DateTimeOffset at) => Failure(JobStatus.Cancelled, "CANCELLED", at);
}

[Collection(AzuriteCollection.Name)]
public sealed class TablePendingClaimContractTests(AzuriteFixture azurite) : PendingClaimContract
{
    protected override Task<StoreSet> CreateStoresAsync(TimeProvider time) => StoreSet.TablesAsync(azurite.ConnectionString, time);
}

public sealed class InMemoryPendingClaimContractTests : PendingClaimContract
{
    protected override Task<StoreSet> CreateStoresAsync(TimeProvider time) => StoreSet.InMemoryAsync(time);
}

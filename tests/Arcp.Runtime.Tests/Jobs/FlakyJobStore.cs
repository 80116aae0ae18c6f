using Arcp.Runtime.Jobs;
using Arcp.Runtime.Storage;

namespace Arcp.Runtime.Tests.Jobs;

/// <summary>
/// A job store whose calls fail the way storage does once one operation's own retries are exhausted: appends that
/// fail before or after they commit (a lost reply), state reads that fail for a while, and a paused watch (a frozen
/// process: its renewals and polls never come back until it is unpaused or stopped).
/// </summary>
internal sealed class FlakyJobStore(IJobStore inner, TimeProvider time) : IJobStore
{
    private int _appendFailures;
    private int _appendRepliesToLose;
    private long _readsFailUntilTicks;
    private volatile bool _watchPaused;

    public IJobStore Inner => inner;

    /// <summary>The next <paramref name="count"/> appends fail without writing.</summary>
    public void FailAppends(int count) => Volatile.Write(ref _appendFailures, count);

    /// <summary>The next <paramref name="count"/> appends commit, then report a failure.</summary>
    public void LoseAppendReplies(int count) => Volatile.Write(ref _appendRepliesToLose, count);

    /// <summary>State reads and renewals fail for <paramref name="duration"/>.</summary>
    public void FailReadsFor(TimeSpan duration) => Interlocked.Exchange(ref _readsFailUntilTicks, (time.GetUtcNow() + duration).UtcTicks);

    /// <summary>While true, state reads and renewals hang (until their caller gives up).</summary>
    public bool WatchPaused
    {
        get => _watchPaused;
        set => _watchPaused = value;
    }

    public async Task<AppendResult> AppendEventsAsync(JobState expected, IReadOnlyList<NewJobEvent> events, JobProgress? progress, JobWrite write, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _appendFailures) >= 0)
        {
            throw Outage();
        }

        var result = await inner.AppendEventsAsync(expected, events, progress, write, cancellationToken);
        if (Interlocked.Decrement(ref _appendRepliesToLose) >= 0)
        {
            throw Outage();
        }

        return result;
    }

    public async Task<JobState?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        await ReadFaultsAsync(cancellationToken);
        return await inner.GetAsync(jobId, cancellationToken);
    }

    public async Task<JobState?> RenewClaimAsync(JobClaim claim, TimeSpan ownerLease, CancellationToken cancellationToken)
    {
        await ReadFaultsAsync(cancellationToken);
        return await inner.RenewClaimAsync(claim, ownerLease, cancellationToken);
    }

    public Task<bool> CreateAsync(JobDefinition definition, string inputJson, CancellationToken cancellationToken) => inner.CreateAsync(definition, inputJson, cancellationToken);

    public Task<string?> GetInputAsync(string jobId, CancellationToken cancellationToken) => inner.GetInputAsync(jobId, cancellationToken);

    public Task<ClaimResult> TryClaimAsync(string jobId, string owner, TimeSpan ownerLease, CancellationToken cancellationToken) => inner.TryClaimAsync(jobId, owner, ownerLease, cancellationToken);

    public Task<bool> ReleaseClaimAsync(JobClaim claim, CancellationToken cancellationToken) => inner.ReleaseClaimAsync(claim, cancellationToken);

    public Task<FinishResult> TryFinishAsync(string jobId, JobTermination termination, IReadOnlyList<NewJobEvent> precedingEvents, JobState? current, JobWrite write, CancellationToken cancellationToken) => inner.TryFinishAsync(jobId, termination, precedingEvents, current, write, cancellationToken);

    public Task<CancelRequestResult> RequestCancelAsync(string jobId, string? reason, CancellationToken cancellationToken) => inner.RequestCancelAsync(jobId, reason, cancellationToken);

    public Task RecordChildAsync(string parentJobId, string childJobId, CancellationToken cancellationToken) => inner.RecordChildAsync(parentJobId, childJobId, cancellationToken);

    public Task<IReadOnlyList<string>> ListChildrenAsync(string parentJobId, CancellationToken cancellationToken) => inner.ListChildrenAsync(parentJobId, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetCompletedStepsAsync(string jobId, CancellationToken cancellationToken) => inner.GetCompletedStepsAsync(jobId, cancellationToken);

    public Task<JobEventRead> ReadEventsAsync(string jobId, long fromIndex, int maxCount, CancellationToken cancellationToken) => inner.ReadEventsAsync(jobId, fromIndex, maxCount, cancellationToken);

    public Task<IReadOnlyList<JobState>> ListNonTerminalAsync(int maxCount, CancellationToken cancellationToken) => inner.ListNonTerminalAsync(maxCount, cancellationToken);

    public Task<IReadOnlyList<JobState>> ListFinishedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken) => inner.ListFinishedBeforeAsync(cutoff, maxCount, cancellationToken);

    public Task<long> PurgeEventsAsync(string jobId, CancellationToken cancellationToken) => inner.PurgeEventsAsync(jobId, cancellationToken);

    private async Task ReadFaultsAsync(CancellationToken cancellationToken)
    {
        while (_watchPaused)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }

        if (time.GetUtcNow().UtcTicks < Interlocked.Read(ref _readsFailUntilTicks))
        {
            throw Outage();
        }
    }

    private static StorageUnavailableException Outage() => new("Storage kept failing with transient faults.", new IOException("Connection reset."));
}

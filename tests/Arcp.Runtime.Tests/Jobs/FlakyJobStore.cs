using Arcp.Runtime.Jobs;
using Arcp.Runtime.Storage;
using Arcp.Testing;

namespace Arcp.Runtime.Tests.Jobs;

/// <summary>
/// A job store whose calls fail the way storage does once one operation's own retries are exhausted: appends that
/// fail before or after they commit (a lost reply), state reads that fail for a while, and a paused watch (a frozen
/// process: its renewals and polls never come back until it is unpaused or stopped).
/// </summary>
internal sealed class FlakyJobStore(IJobStore inner, TimeProvider time) : DelegatingJobStore(inner)
{
    private int _appendFailures;
    private int _appendRepliesToLose;
    private long _readsFailUntilTicks;
    private volatile bool _watchPaused;

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

    public override async Task<AppendResult> AppendEventsAsync(JobState expected, IReadOnlyList<NewJobEvent> events, JobProgress? progress, JobWrite write, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _appendFailures) >= 0)
        {
            throw Outage();
        }

        var result = await base.AppendEventsAsync(expected, events, progress, write, cancellationToken);
        if (Interlocked.Decrement(ref _appendRepliesToLose) >= 0)
        {
            throw Outage();
        }

        return result;
    }

    public override async Task<JobState?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        await ReadFaultsAsync(cancellationToken);
        return await base.GetAsync(jobId, cancellationToken);
    }

    public override async Task<JobState?> RenewClaimAsync(JobClaim claim, TimeSpan ownerLease, CancellationToken cancellationToken)
    {
        await ReadFaultsAsync(cancellationToken);
        return await base.RenewClaimAsync(claim, ownerLease, cancellationToken);
    }

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

using Arcp.Runtime.Jobs;

namespace Arcp.Testing;

/// <summary>Wraps a job store, counts appends (how many storage writes group commit needed) and can slow them down.</summary>
public sealed class CountingJobStore(IJobStore inner) : IJobStore
{
    private int _appends;

    /// <summary>Appends seen so far.</summary>
    public int Appends => Volatile.Read(ref _appends);

    /// <summary>Artificial round-trip time added to every append.</summary>
    public TimeSpan AppendDelay { get; set; }

    /// <inheritdoc />
    public async Task<AppendResult> AppendEventsAsync(JobState expected, IReadOnlyList<NewJobEvent> events, JobProgress? progress, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _appends);
        if (AppendDelay > TimeSpan.Zero)
        {
            await Task.Delay(AppendDelay, cancellationToken);
        }

        return await inner.AppendEventsAsync(expected, events, progress, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> CreateAsync(JobDefinition definition, string inputJson, CancellationToken cancellationToken) => inner.CreateAsync(definition, inputJson, cancellationToken);

    /// <inheritdoc />
    public Task<JobState?> GetAsync(string jobId, CancellationToken cancellationToken) => inner.GetAsync(jobId, cancellationToken);

    /// <inheritdoc />
    public Task<string?> GetInputAsync(string jobId, CancellationToken cancellationToken) => inner.GetInputAsync(jobId, cancellationToken);

    /// <inheritdoc />
    public Task<ClaimResult> TryClaimAsync(string jobId, string owner, TimeSpan ownerLease, CancellationToken cancellationToken) => inner.TryClaimAsync(jobId, owner, ownerLease, cancellationToken);

    /// <inheritdoc />
    public Task<JobState?> RenewClaimAsync(string jobId, string owner, TimeSpan ownerLease, CancellationToken cancellationToken) => inner.RenewClaimAsync(jobId, owner, ownerLease, cancellationToken);

    /// <inheritdoc />
    public Task<FinishResult> TryFinishAsync(string jobId, JobTermination termination, IReadOnlyList<NewJobEvent> precedingEvents, JobState? current, CancellationToken cancellationToken) => inner.TryFinishAsync(jobId, termination, precedingEvents, current, cancellationToken);

    /// <inheritdoc />
    public Task<CancelRequestResult> RequestCancelAsync(string jobId, string? reason, CancellationToken cancellationToken) => inner.RequestCancelAsync(jobId, reason, cancellationToken);

    /// <inheritdoc />
    public Task RecordChildAsync(string parentJobId, string childJobId, CancellationToken cancellationToken) => inner.RecordChildAsync(parentJobId, childJobId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListChildrenAsync(string parentJobId, CancellationToken cancellationToken) => inner.ListChildrenAsync(parentJobId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> GetCompletedStepsAsync(string jobId, CancellationToken cancellationToken) => inner.GetCompletedStepsAsync(jobId, cancellationToken);

    /// <inheritdoc />
    public Task<JobEventRead> ReadEventsAsync(string jobId, long fromIndex, int maxCount, CancellationToken cancellationToken) => inner.ReadEventsAsync(jobId, fromIndex, maxCount, cancellationToken);

    /// <inheritdoc />
    public Task<long> PurgeEventsAsync(string jobId, CancellationToken cancellationToken) => inner.PurgeEventsAsync(jobId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<JobState>> ListFinishedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken) => inner.ListFinishedBeforeAsync(cutoff, maxCount, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<JobState>> ListNonTerminalAsync(int maxCount, CancellationToken cancellationToken) => inner.ListNonTerminalAsync(maxCount, cancellationToken);

    /// <inheritdoc />
    public Task<JobStatePage> ListNonTerminalPageAsync(string? continuation, int maxCount, CancellationToken cancellationToken) => inner.ListNonTerminalPageAsync(continuation, maxCount, cancellationToken);
}

using Arcp.Runtime.Jobs;

namespace Arcp.Testing;

/// <summary>A job store that forwards every call to <see cref="Inner"/>: test stores override only what they change.</summary>
public abstract class DelegatingJobStore(IJobStore inner) : IJobStore
{
    /// <summary>The store calls go to.</summary>
    public IJobStore Inner => inner;

    public virtual Task<AppendResult> AppendEventsAsync(JobState expected, IReadOnlyList<NewJobEvent> events, JobProgress? progress, JobWrite write, CancellationToken cancellationToken) => inner.AppendEventsAsync(expected, events, progress, write, cancellationToken);

    public virtual Task<FinishResult> TryFinishAsync(string jobId, JobTermination termination, IReadOnlyList<NewJobEvent> precedingEvents, JobState? current, JobWrite write, CancellationToken cancellationToken) => inner.TryFinishAsync(jobId, termination, precedingEvents, current, write, cancellationToken);

    public virtual Task<bool> CreateAsync(JobDefinition definition, string inputJson, CancellationToken cancellationToken) => inner.CreateAsync(definition, inputJson, cancellationToken);

    public virtual Task<JobState?> GetAsync(string jobId, CancellationToken cancellationToken) => inner.GetAsync(jobId, cancellationToken);

    public virtual Task<string?> GetInputAsync(string jobId, CancellationToken cancellationToken) => inner.GetInputAsync(jobId, cancellationToken);

    public virtual Task<ClaimResult> TryClaimAsync(string jobId, string owner, TimeSpan ownerLease, CancellationToken cancellationToken) => inner.TryClaimAsync(jobId, owner, ownerLease, cancellationToken);

    public virtual Task<ClaimResult> PrepareClaimAsync(string jobId, string owner, TimeSpan ownerLease, CancellationToken cancellationToken) => inner.PrepareClaimAsync(jobId, owner, ownerLease, cancellationToken);

    public virtual Task<JobState?> RenewClaimAsync(JobClaim claim, TimeSpan ownerLease, CancellationToken cancellationToken) => inner.RenewClaimAsync(claim, ownerLease, cancellationToken);

    public virtual Task<bool> ReleaseClaimAsync(JobClaim claim, CancellationToken cancellationToken) => inner.ReleaseClaimAsync(claim, cancellationToken);

    public virtual Task<CancelRequestResult> RequestCancelAsync(string jobId, string? reason, CancellationToken cancellationToken) => inner.RequestCancelAsync(jobId, reason, cancellationToken);

    public virtual Task RecordChildAsync(string parentJobId, string childJobId, CancellationToken cancellationToken) => inner.RecordChildAsync(parentJobId, childJobId, cancellationToken);

    public virtual Task<IReadOnlyList<string>> ListChildrenAsync(string parentJobId, CancellationToken cancellationToken) => inner.ListChildrenAsync(parentJobId, cancellationToken);

    public virtual Task<IReadOnlyDictionary<string, string>> GetCompletedStepsAsync(string jobId, CancellationToken cancellationToken) => inner.GetCompletedStepsAsync(jobId, cancellationToken);

    public virtual Task<JobEventRead> ReadEventsAsync(string jobId, long fromIndex, int maxCount, CancellationToken cancellationToken) => inner.ReadEventsAsync(jobId, fromIndex, maxCount, cancellationToken);

    public virtual Task<IReadOnlyList<JobState>> ListNonTerminalAsync(int maxCount, CancellationToken cancellationToken) => inner.ListNonTerminalAsync(maxCount, cancellationToken);

    public virtual Task<JobStatePage> ListNonTerminalPageAsync(string? continuation, int maxCount, CancellationToken cancellationToken) => inner.ListNonTerminalPageAsync(continuation, maxCount, cancellationToken);

    public virtual Task<IReadOnlyList<JobState>> ListFinishedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken) => inner.ListFinishedBeforeAsync(cutoff, maxCount, cancellationToken);

    public virtual Task<long> PurgeEventsAsync(string jobId, CancellationToken cancellationToken) => inner.PurgeEventsAsync(jobId, cancellationToken);
}

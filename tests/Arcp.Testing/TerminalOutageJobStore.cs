using Arcp.Runtime.Jobs;
using Azure;

namespace Arcp.Testing;

/// <summary>A job store whose terminal writes answer 503 while <see cref="Outage"/> is set, as a storage outage longer than every retry.</summary>
public sealed class TerminalOutageJobStore(IJobStore inner) : IJobStore
{
    private volatile bool _outage;

    public bool Outage
    {
        get => _outage;
        set => _outage = value;
    }

    public Task<FinishResult> TryFinishAsync(string jobId, JobTermination termination, IReadOnlyList<NewJobEvent> precedingEvents, JobState? current, CancellationToken cancellationToken) =>
        _outage
            ? throw new RequestFailedException(503, "The server is busy.", "ServerBusy", null)
            : inner.TryFinishAsync(jobId, termination, precedingEvents, current, cancellationToken);

    public Task<AppendResult> AppendEventsAsync(JobState expected, IReadOnlyList<NewJobEvent> events, JobProgress? progress, CancellationToken cancellationToken) => inner.AppendEventsAsync(expected, events, progress, cancellationToken);

    public Task<bool> CreateAsync(JobDefinition definition, string inputJson, CancellationToken cancellationToken) => inner.CreateAsync(definition, inputJson, cancellationToken);

    public Task<JobState?> GetAsync(string jobId, CancellationToken cancellationToken) => inner.GetAsync(jobId, cancellationToken);

    public Task<string?> GetInputAsync(string jobId, CancellationToken cancellationToken) => inner.GetInputAsync(jobId, cancellationToken);

    public Task<ClaimResult> TryClaimAsync(string jobId, string owner, TimeSpan ownerLease, CancellationToken cancellationToken) => inner.TryClaimAsync(jobId, owner, ownerLease, cancellationToken);

    public Task<JobState?> RenewClaimAsync(string jobId, string owner, TimeSpan ownerLease, CancellationToken cancellationToken) => inner.RenewClaimAsync(jobId, owner, ownerLease, cancellationToken);

    public Task<CancelRequestResult> RequestCancelAsync(string jobId, string? reason, CancellationToken cancellationToken) => inner.RequestCancelAsync(jobId, reason, cancellationToken);

    public Task RecordChildAsync(string parentJobId, string childJobId, CancellationToken cancellationToken) => inner.RecordChildAsync(parentJobId, childJobId, cancellationToken);

    public Task<IReadOnlyList<string>> ListChildrenAsync(string parentJobId, CancellationToken cancellationToken) => inner.ListChildrenAsync(parentJobId, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetCompletedStepsAsync(string jobId, CancellationToken cancellationToken) => inner.GetCompletedStepsAsync(jobId, cancellationToken);

    public Task<JobEventRead> ReadEventsAsync(string jobId, long fromIndex, int maxCount, CancellationToken cancellationToken) => inner.ReadEventsAsync(jobId, fromIndex, maxCount, cancellationToken);

    public Task<IReadOnlyList<JobState>> ListNonTerminalAsync(int maxCount, CancellationToken cancellationToken) => inner.ListNonTerminalAsync(maxCount, cancellationToken);

    public Task<JobStatePage> ListNonTerminalPageAsync(string? continuation, int maxCount, CancellationToken cancellationToken) => inner.ListNonTerminalPageAsync(continuation, maxCount, cancellationToken);

    public Task<IReadOnlyList<JobState>> ListFinishedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken) => inner.ListFinishedBeforeAsync(cutoff, maxCount, cancellationToken);

    public Task<long> PurgeEventsAsync(string jobId, CancellationToken cancellationToken) => inner.PurgeEventsAsync(jobId, cancellationToken);
}

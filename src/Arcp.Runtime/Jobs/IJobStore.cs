namespace Arcp.Runtime.Jobs;

/// <summary>
/// The job partition: one <c>state</c> row and the job's event pages. Every status change is conditional on the
/// version read, so the first writer decides and a loser re-reads and yields; a terminal transition writes status,
/// terminal event and seal in one transaction.
/// </summary>
public interface IJobStore
{
    /// <summary>Writes a new pending job with its input. Returns false when the job id already exists.</summary>
    Task<bool> CreateAsync(JobDefinition definition, string inputJson, CancellationToken cancellationToken);

    /// <summary>Reads the job's current state, or null when it does not exist.</summary>
    Task<JobState?> GetAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Reads the job's input JSON, or null when the job does not exist.</summary>
    Task<string?> GetInputAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the job for <paramref name="owner"/> (an identity unique per process start): pending → running, or
    /// running with attempt + 1 when the previous claim lapsed (a crashed or paused worker) or was handed back.
    /// A live claim, even this owner's own, is never taken over.
    /// </summary>
    Task<ClaimResult> TryClaimAsync(string jobId, string owner, TimeSpan ownerLease, CancellationToken cancellationToken);

    /// <summary>
    /// Decides a claim as <see cref="TryClaimAsync"/> would, without storing it: <see cref="ClaimResult.Claimed"/> holds
    /// the state the claim would write, at the version it was decided on. The runner's first write stores it, made
    /// with <see cref="JobWrite.Claiming"/> — so a short job's claim costs no write of its own — and that write is
    /// refused, like any fenced write, when another claim was stored meanwhile. The claim's owner is
    /// <paramref name="owner"/> with a suffix unique to this decision, so two runs in one process that decide at the
    /// same version never hold the same claim.
    /// </summary>
    Task<ClaimResult> PrepareClaimAsync(string jobId, string owner, TimeSpan ownerLease, CancellationToken cancellationToken);

    /// <summary>Extends <paramref name="claim"/>; null when the job ended or the claim is no longer the job's.</summary>
    Task<JobState?> RenewClaimAsync(JobClaim claim, TimeSpan ownerLease, CancellationToken cancellationToken);

    /// <summary>
    /// Hands <paramref name="claim"/> back (a graceful shutdown): the next claim may start at once and this one does
    /// not count as a failed attempt. False when the claim was no longer the job's.
    /// </summary>
    Task<bool> ReleaseClaimAsync(JobClaim claim, CancellationToken cancellationToken);

    /// <summary>
    /// Appends events after <paramref name="expected"/>, conditional on its version (and on <paramref name="write"/>'s
    /// claim), in one transaction with the state update. Fails with <see cref="AppendResult.Sealed"/> once the job
    /// ended and with <see cref="AppendResult.Superseded"/> once the claim was replaced; a retry of a commit that
    /// landed (same <paramref name="write"/>) reports it appended.
    /// </summary>
    Task<AppendResult> AppendEventsAsync(JobState expected, IReadOnlyList<NewJobEvent> events, JobProgress? progress, JobWrite write, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the job: <paramref name="precedingEvents"/>, the terminal event, the status and the seal in one transaction.
    /// Re-reads and retries when a non-terminal change raced it; yields when the job already ended; refuses a fenced
    /// <paramref name="write"/> whose claim was replaced.
    /// </summary>
    Task<FinishResult> TryFinishAsync(string jobId, JobTermination termination, IReadOnlyList<NewJobEvent> precedingEvents, JobState? current, JobWrite write, CancellationToken cancellationToken);

    /// <summary>Records a cancel request on a non-terminal job. A terminal job is left untouched.</summary>
    Task<CancelRequestResult> RequestCancelAsync(string jobId, string? reason, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="childJobId"/> was delegated by <paramref name="parentJobId"/> (idempotent; before the child is created).</summary>
    Task RecordChildAsync(string parentJobId, string childJobId, CancellationToken cancellationToken);

    /// <summary>Ids of the jobs <paramref name="parentJobId"/> delegated (some may never have been created).</summary>
    Task<IReadOnlyList<string>> ListChildrenAsync(string parentJobId, CancellationToken cancellationToken);

    /// <summary>The durable steps the job completed so far, by name.</summary>
    Task<IReadOnlyDictionary<string, string>> GetCompletedStepsAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Reads up to <paramref name="maxCount"/> events from index <paramref name="fromIndex"/> on.</summary>
    Task<JobEventRead> ReadEventsAsync(string jobId, long fromIndex, int maxCount, CancellationToken cancellationToken);

    /// <summary>
    /// Lists up to <paramref name="maxCount"/> jobs that have not ended (pending or running), in no particular order:
    /// the sweeper's view of what may need repair.
    /// </summary>
    Task<IReadOnlyList<JobState>> ListNonTerminalAsync(int maxCount, CancellationToken cancellationToken);

    /// <summary>
    /// One page of at most <paramref name="maxCount"/> jobs that have not ended, from <paramref name="continuation"/>
    /// (null: the first page). Following the continuations reaches every job that stayed unfinished meanwhile.
    /// </summary>
    Task<JobStatePage> ListNonTerminalPageAsync(string? continuation, int maxCount, CancellationToken cancellationToken);

    /// <summary>Terminal jobs that finished before <paramref name="cutoff"/> and still hold events (retention sweep).</summary>
    Task<IReadOnlyList<JobState>> ListFinishedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the stored events of a terminal job (retention sweep) and raises its floor so later reads report
    /// <see cref="JobEventRead.WindowExpired"/>. Returns how many events were removed; 0 for a live job.
    /// </summary>
    Task<long> PurgeEventsAsync(string jobId, CancellationToken cancellationToken);
}

using Arcp.Protocol.Messages;
using Arcp.Runtime.Storage;
using Arcp.Runtime.Telemetry;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// The decisions of <see cref="IJobStore"/> written once: claim, append, finish and cancel each read the state, ask
/// <see cref="JobStateMachine"/>, and commit conditionally through <see cref="TryCommitAsync"/>, stamped with the
/// write's commit id, fenced on the runner's claim where it has one, and retried through transient faults. Adapters supply only
/// storage primitives, so the in-memory and Azure Tables stores cannot decide differently.
/// </summary>
public abstract class JobStoreBase : IJobStore
{
    /// <summary>Creates the store.</summary>
    protected JobStoreBase(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeProvider = timeProvider;
    }

    private const int CreatedCacheLimit = 1024;

    // Jobs this node created and has not claimed yet, at the version the create wrote: the claim, usually on the same
    // node moments later, then commits without reading first. A stale entry costs nothing but the usual read, because
    // the commit is conditional on that version.
    private readonly NodeLocalCache<string, JobState> _created = new(CreatedCacheLimit, StringComparer.Ordinal);

    private TransientRetry? _retry;

    /// <summary>The clock for start, finish and owner-lease times.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>How long one operation keeps retrying transient storage faults before it gives up.</summary>
    public TimeSpan TransientRetryLimit { get; init; } = TimeSpan.FromSeconds(30);

    private TransientRetry Retry => _retry ??= new TransientRetry(IsTransient, TransientRetryLimit, TimeProvider);

    /// <summary>
    /// True for a fault worth retrying (busy, timeout, dropped connection). The decisions below retry such faults
    /// with the same commit id, so a commit that landed although its reply was lost is recognised, not repeated.
    /// </summary>
    protected virtual bool IsTransient(Exception exception) => false;

    /// <inheritdoc />
    public abstract Task<bool> CreateAsync(JobDefinition definition, string inputJson, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<JobState?> GetAsync(string jobId, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<string?> GetInputAsync(string jobId, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<JobEventRead> ReadEventsAsync(string jobId, long fromIndex, int maxCount, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<IReadOnlyList<JobState>> ListNonTerminalAsync(int maxCount, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<JobStatePage> ListNonTerminalPageAsync(string? continuation, int maxCount, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<IReadOnlyList<JobState>> ListFinishedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<long> PurgeEventsAsync(string jobId, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task RecordChildAsync(string parentJobId, string childJobId, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<IReadOnlyList<string>> ListChildrenAsync(string parentJobId, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<IReadOnlyDictionary<string, string>> GetCompletedStepsAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the mutable state with <paramref name="updated"/> and inserts <paramref name="events"/> (indices
    /// already assigned) and the step records in one atomic write, only if the stored version still equals <paramref name="expected"/>'s.
    /// Returns the state with its new version, or null when the version no longer matches or the job is gone.
    /// </summary>
    protected abstract Task<JobState?> TryCommitAsync(JobState expected, JobState updated, IReadOnlyList<StoredJobEvent> events, IReadOnlyList<CompletedStep> steps, CancellationToken cancellationToken);

    /// <summary>Adapters call this after a create with the state and version they wrote.</summary>
    protected void RememberCreated(JobState created)
    {
        ArgumentNullException.ThrowIfNull(created);
        _created.Set(created.JobId, created);
    }

    /// <inheritdoc />
    public async Task<ClaimResult> TryClaimAsync(string jobId, string owner, TimeSpan ownerLease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var write = JobWrite.Unfenced();
        for (var attempt = 1; ; attempt++)
        {
            JobState? created = null;
            var fromCache = attempt == 1 && _created.TryTake(jobId, out created);
            var state = fromCache ? created : await ReadAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (state is not null && write.IsIn(state))
            {
                return new ClaimResult.Claimed(state);
            }

            var decision = DecideClaim(state, owner, ownerLease);
            if (decision is not ClaimResult.Claimed { State: var claimed })
            {
                return decision;
            }

            var committed = await CommitAsync(state!, claimed, [], [], write, cancellationToken).ConfigureAwait(false);
            if (committed is not null)
            {
                return new ClaimResult.Claimed(committed);
            }

            if (!fromCache)
            {
                await ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<ClaimResult> PrepareClaimAsync(string jobId, string owner, TimeSpan ownerLease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var state = _created.TryTake(jobId, out var created) ? created : await ReadAsync(jobId, cancellationToken).ConfigureAwait(false);

        // Unique per decision: two deliveries in one process that decide at the same version would otherwise hold the
        // same claim (owner and attempt) and both pass the fence. A stored claim needs no suffix: the second store
        // finds the first one live.
        return DecideClaim(state, owner + "#" + Guid.NewGuid().ToString("N")[..8], ownerLease);
    }

    /// <summary>
    /// Whether <paramref name="owner"/> may claim the job now and, if so, the state the claim writes — at the version
    /// read, so the commit that stores it is conditional on nothing having changed since.
    /// </summary>
    private ClaimResult DecideClaim(JobState? state, string owner, TimeSpan ownerLease)
    {
        if (state is null)
        {
            return new ClaimResult.NotFound();
        }

        if (state.Status.IsTerminal())
        {
            return new ClaimResult.AlreadyTerminal(state);
        }

        if (state.CancelRequested)
        {
            return new ClaimResult.CancelPending(state);
        }

        // A live claim is never taken over, not even by its own owner: owners are unique per process start, so
        // the same owner claiming again is a second delivery while the first run still goes on.
        var now = TimeProvider.GetUtcNow();
        if (HasLiveOwner(state, now))
        {
            return new ClaimResult.HeldByOther(state);
        }

        return new ClaimResult.Claimed(state with
        {
            Status = JobStatus.Running,
            Owner = owner,
            OwnerLeaseExpiresAt = now + ownerLease,
            Attempt = state.Attempt + 1,
            StartedAt = state.StartedAt ?? now,
        });
    }

    private static bool HasLiveOwner(JobState state, DateTimeOffset now) =>
        state.Status == JobStatus.Running && state.Owner is not null && state.OwnerLeaseExpiresAt > now;

    /// <summary>
    /// True while <paramref name="write"/> carries a claim not stored yet that may still be taken: the job has not
    /// ended, its attempt is still the one the claim was decided on (no other claim was stored since), and no other
    /// live claim holds it.
    /// </summary>
    private bool ClaimStillPending(JobState state, JobWrite write) =>
        write is { Claim: { } claim, PendingClaimLease: not null } && !claim.Holds(state) && claim.Attempt == state.Attempt + 1
        && !state.Status.IsTerminal() && !HasLiveOwner(state, TimeProvider.GetUtcNow());

    /// <summary>
    /// The state a write builds on: <paramref name="state"/> with the write's pending claim applied while it may still
    /// be taken and no cancel was requested first (the claim would have seen it: the job ends cancelled without
    /// running). Otherwise <paramref name="state"/> itself, and a claim that was superseded is fenced out as usual.
    /// </summary>
    private JobState WithPendingClaim(JobState state, JobWrite write)
    {
        if (!ClaimStillPending(state, write) || state.CancelRequested)
        {
            return state;
        }

        var now = TimeProvider.GetUtcNow();
        return state with
        {
            Status = JobStatus.Running,
            Owner = write.Claim!.Owner,
            OwnerLeaseExpiresAt = write.PendingClaimLease,
            Attempt = write.Claim.Attempt,
            StartedAt = state.StartedAt ?? now,
        };
    }

    /// <inheritdoc />
    public async Task<JobState?> RenewClaimAsync(JobClaim claim, TimeSpan ownerLease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var write = JobWrite.FencedBy(claim);
        for (var attempt = 1; ; attempt++)
        {
            var state = await ReadAsync(claim.JobId, cancellationToken).ConfigureAwait(false);
            if (state is null || state.Status.IsTerminal() || !claim.Holds(state))
            {
                return null;
            }

            if (write.IsIn(state))
            {
                return state;
            }

            var renewed = state with { OwnerLeaseExpiresAt = TimeProvider.GetUtcNow() + ownerLease };
            var committed = await CommitAsync(state, renewed, [], [], write, cancellationToken).ConfigureAwait(false);
            if (committed is not null)
            {
                return committed;
            }

            await ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseClaimAsync(JobClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var write = JobWrite.FencedBy(claim);
        for (var attempt = 1; ; attempt++)
        {
            var state = await ReadAsync(claim.JobId, cancellationToken).ConfigureAwait(false);
            if (state is not null && write.IsIn(state))
            {
                return true;
            }

            if (state is null || state.Status.IsTerminal() || !claim.Holds(state))
            {
                return false;
            }

            var released = state with { Owner = null, OwnerLeaseExpiresAt = null, Handoffs = state.Handoffs + 1 };
            if (await CommitAsync(state, released, [], [], write, cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }

            await ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<AppendResult> AppendEventsAsync(JobState expected, IReadOnlyList<NewJobEvent> events, JobProgress? progress, JobWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(write);
        expected = WithPendingClaim(expected, write);
        if (expected.Sealed)
        {
            return new AppendResult.Sealed(expected);
        }

        if (ClaimStillPending(expected, write))
        {
            return new AppendResult.CancelPending(expected);
        }

        if (write.IsFencedOut(expected))
        {
            return new AppendResult.Superseded(expected);
        }

        if (events.Any(e => e.Type != JobEventTypes.Event))
        {
            throw new ArgumentException("Terminal events are written by TryFinishAsync only.", nameof(events));
        }

        var stored = Number(events, expected.NextEventIndex);
        var updated = expected with
        {
            NextEventIndex = expected.NextEventIndex + stored.Count,
            Budget = progress?.Budget ?? expected.Budget,
            ResultId = progress?.ResultId ?? expected.ResultId,
        };
        var committed = await CommitAsync(expected, updated, stored, progress?.CompletedSteps ?? [], write, cancellationToken).ConfigureAwait(false);
        if (committed is not null)
        {
            ArcpTelemetry.EventsAppended.Add(stored.Count);
            return new AppendResult.Appended(committed, expected.NextEventIndex);
        }

        var current = await ReadAsync(expected.JobId, cancellationToken).ConfigureAwait(false);
        return current switch
        {
            null => new AppendResult.NotFound(),

            // The commit landed but its reply was lost; the retry that followed found its own write.
            _ when write.IsIn(current) => new AppendResult.Appended(current, expected.NextEventIndex),
            { Sealed: true } => new AppendResult.Sealed(current),
            _ => AfterConflict(current, write),
        };
    }

    private AppendResult AfterConflict(JobState current, JobWrite write)
    {
        var applied = WithPendingClaim(current, write);
        if (ClaimStillPending(applied, write))
        {
            return new AppendResult.CancelPending(current);
        }

        // Retried on the fresh state, still carrying the claim when it is not stored yet.
        return write.IsFencedOut(applied) ? new AppendResult.Superseded(current) : new AppendResult.Conflict(applied);
    }

    /// <inheritdoc />
    public async Task<FinishResult> TryFinishAsync(string jobId, JobTermination termination, IReadOnlyList<NewJobEvent> precedingEvents, JobState? current, JobWrite write, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentNullException.ThrowIfNull(termination);
        ArgumentNullException.ThrowIfNull(precedingEvents);
        ArgumentNullException.ThrowIfNull(write);
        var state = current ?? await ReadAsync(jobId, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            if (state is null)
            {
                return new FinishResult.NotFound();
            }

            if (write.IsIn(state))
            {
                return new FinishResult.Finished(state, state.NextEventIndex - 1);
            }

            state = WithPendingClaim(state, write);
            switch (JobStateMachine.Decide(state.Status, state.CancelRequested, termination.Status))
            {
                case TransitionDecision.AlreadyTerminal:
                    return new FinishResult.AlreadyTerminal(state);
                case TransitionDecision.CancelPending:
                    return new FinishResult.CancelPending(state);
                case TransitionDecision.NotAllowed:
                    return new FinishResult.NotAllowed(state);
            }

            // A claim not stored yet over a cancel request: the cancelled terminal is written without it.
            if (write.IsFencedOut(state) && !ClaimStillPending(state, write))
            {
                return new FinishResult.Superseded(state);
            }

            var stored = Number([.. precedingEvents, termination.TerminalEvent], state.NextEventIndex);
            var finished = state with
            {
                Status = termination.Status,
                Sealed = true,
                NextEventIndex = state.NextEventIndex + stored.Count,
                FinishedAt = TimeProvider.GetUtcNow(),
                Owner = null,
                OwnerLeaseExpiresAt = null,
            };
            var committed = await CommitAsync(state, finished, stored, [], write, cancellationToken).ConfigureAwait(false);
            if (committed is not null)
            {
                ArcpTelemetry.EventsAppended.Add(stored.Count);
                ArcpTelemetry.JobsFinished.Add(1, new KeyValuePair<string, object?>(ArcpTelemetry.Tags.Status, committed.Status.ToWireName()));
                return new FinishResult.Finished(committed, stored[^1].Index);
            }

            // Lost a race, or the commit landed and its reply was lost (the next round recognises it). If it was
            // another terminal write the next Decide yields; otherwise (an append, a cancel request) the termination
            // still has to happen, on top of the fresh state.
            await ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
            state = await ReadAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<CancelRequestResult> RequestCancelAsync(string jobId, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var write = JobWrite.Unfenced();
        for (var attempt = 1; ; attempt++)
        {
            var state = await ReadAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                return new CancelRequestResult.NotFound();
            }

            if (write.IsIn(state))
            {
                return new CancelRequestResult.Requested(state, AlreadyRequested: false);
            }

            if (state.Status.IsTerminal())
            {
                return new CancelRequestResult.AlreadyTerminal(state);
            }

            if (state.CancelRequested)
            {
                return new CancelRequestResult.Requested(state, AlreadyRequested: true);
            }

            var committed = await CommitAsync(state, state with { CancelRequested = true, CancelReason = reason }, [], [], write, cancellationToken).ConfigureAwait(false);
            if (committed is not null)
            {
                return new CancelRequestResult.Requested(committed, AlreadyRequested: false);
            }

            await ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The last few commit ids kept in the state row: enough to recognise a retried commit through the
    /// handful of writes (a cancel request, a renewal) that can land between it and its retry.</summary>
    internal const int RecentCommitsKept = 4;

    private Task<JobState?> CommitAsync(JobState expected, JobState updated, IReadOnlyList<StoredJobEvent> events, IReadOnlyList<CompletedStep> steps, JobWrite write, CancellationToken cancellationToken)
    {
        string[] recent = [.. expected.RecentCommits.Skip(Math.Max(0, expected.RecentCommits.Count - RecentCommitsKept + 1)), write.CommitId];
        var stamped = updated with { RecentCommits = recent };
        return Retry.ExecuteAsync(ct => TryCommitAsync(expected, stamped, events, steps, ct), cancellationToken);
    }

    private Task<JobState?> ReadAsync(string jobId, CancellationToken cancellationToken) =>
        Retry.ExecuteAsync(ct => GetAsync(jobId, ct), cancellationToken);

    private static List<StoredJobEvent> Number(IReadOnlyList<NewJobEvent> events, long firstIndex)
    {
        var stored = new List<StoredJobEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            stored.Add(new StoredJobEvent(firstIndex + i, e.Type, e.Payload, e.Timestamp, e.MessageId));
        }

        return stored;
    }
}

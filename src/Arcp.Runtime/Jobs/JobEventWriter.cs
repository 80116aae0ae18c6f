using System.Text;
using Arcp.Runtime.Storage;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// The single writer of one job's events, with group commit: at most one append is in flight; events emitted
/// meanwhile wait and go out together in the next append. Light load costs one round trip per event; a burst costs a
/// few writes in total. The terminal transition carries whatever is still waiting, in the same transaction.
/// Every write is fenced on the claim the writer was created with and carries a commit id, so a retry after a lost
/// reply is recognised; storage outages are waited out until the run is abandoned. A writer created with a claim not
/// stored yet stores it with its first write (<see cref="JobWrite.Claiming"/>), or alone when asked to
/// (<see cref="CommitClaimAsync"/>).
/// </summary>
internal sealed class JobEventWriter
{
    private readonly IJobStore _store;
    private readonly JobEventWriterOptions _options;
    private readonly Action<JobState>? _appended;
    private readonly Action? _cancelledBeforeClaim;
    private readonly JobClaim? _claim;
    private readonly DateTimeOffset? _pendingClaimLease;
    private bool _claimPending;
    private readonly CancellationToken _abandon;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private List<WriteUnit> _pending = [];
    private TaskCompletionSource _pendingDurable = NewSignal();
    private Task _lastBatchDurable = Task.CompletedTask;
    private Task _pump = Task.CompletedTask;
    private bool _pumping;
    private bool _finishing;
    private JobState _state;
    private JobProgress? _progress;
    private Exception? _failure;

    /// <summary>Creates the writer for a job this worker has claimed.</summary>
    /// <param name="store">Where events go.</param>
    /// <param name="claimed">The state returned by the claim.</param>
    /// <param name="appended">Called after each durable write with the new state (say, to wake outbox delivery); must not block.</param>
    /// <param name="options">Batch limits.</param>
    /// <param name="timeProvider">The clock for backoff between attempts.</param>
    /// <param name="claimPending">True when <paramref name="claimed"/> holds a claim decided but not stored yet (<see cref="IJobStore.PrepareClaimAsync"/>).</param>
    /// <param name="cancelledBeforeClaim">
    /// Called when storing the pending claim found a cancel requested first: nothing of the run was written, emits
    /// fail from then on, and the run is to end cancelled (<see cref="FinishAsync"/> writes it without the claim).
    /// </param>
    /// <param name="abandon">Ends the wait through a storage outage (the run is handed back).</param>
    public JobEventWriter(IJobStore store, JobState claimed, Action<JobState>? appended = null, JobEventWriterOptions? options = null, TimeProvider? timeProvider = null, bool claimPending = false, Action? cancelledBeforeClaim = null, CancellationToken abandon = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(claimed);
        _store = store;
        _state = claimed;
        _claim = claimed.Owner is null ? null : JobClaim.Of(claimed);
        _pendingClaimLease = claimPending ? claimed.OwnerLeaseExpiresAt ?? throw new ArgumentException("A pending claim needs its lease.", nameof(claimed)) : null;
        _claimPending = claimPending;
        _appended = appended;
        _cancelledBeforeClaim = cancelledBeforeClaim;
        _options = options ?? new JobEventWriterOptions();
        _abandon = abandon;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The latest state this writer saw.</summary>
    public JobState State
    {
        get { lock (_gate) { return _state; } }
    }

    /// <summary>True until the claim this writer was created with is stored (by its first write, or <see cref="CommitClaimAsync"/>).</summary>
    public bool ClaimPending
    {
        get { lock (_gate) { return _claimPending; } }
    }

    /// <summary>
    /// Stores the pending claim now, with whatever is waiting or alone: a run whose agent writes nothing for a while
    /// still holds the job, renews it and sees a cancel. Completes at once when the claim is stored or the job ends;
    /// faults like an emit (<see cref="JobClaimLostException"/> when another claim came first).
    /// </summary>
    public Task CommitClaimAsync()
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                return Task.FromException(_failure);
            }

            if (!_claimPending || _finishing)
            {
                return Task.CompletedTask;
            }

            return EnqueueLocked(new WriteUnit([], null), null);
        }
    }

    /// <summary>
    /// Queues an event. The returned task completes when it is durable; it faults with
    /// <see cref="JobSealedException"/> if the job ended first.
    /// </summary>
    public Task EmitAsync(NewJobEvent jobEvent, JobProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        lock (_gate)
        {
            if (_failure is not null || _finishing)
            {
                return Task.FromException(_failure ?? new JobSealedException(_state.JobId, _state.Status));
            }

            return EnqueueLocked(new WriteUnit([jobEvent], null), progress);
        }
    }

    /// <summary>
    /// Queues a completed durable step: its events and its record go out in the same append, so a re-run after a crash
    /// either finds the step done (and skips it, events included) or runs it again from scratch.
    /// </summary>
    public Task EmitStepAsync(IReadOnlyList<NewJobEvent> events, CompletedStep step, JobProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(step);
        lock (_gate)
        {
            if (_failure is not null || _finishing)
            {
                return Task.FromException(_failure ?? new JobSealedException(_state.JobId, _state.Status));
            }

            return EnqueueLocked(new WriteUnit(events, step), progress);
        }
    }

    private Task EnqueueLocked(WriteUnit unit, JobProgress? progress)
    {
        _pending.Add(unit);
        if (progress is not null)
        {
            _progress = progress;
        }

        if (!_pumping)
        {
            _pumping = true;
            _pump = Task.Run(PumpAsync);
        }

        return _pendingDurable.Task;
    }

    /// <summary>Waits until every event emitted so far is durable.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _failure is not null ? Task.FromException(_failure)
                : _pending.Count > 0 ? _pendingDurable.Task
                : _lastBatchDurable;
        }
    }

    /// <summary>
    /// Ends the job: waits for the append in flight, then writes the events still waiting, the terminal event and the
    /// status in one transaction. Emits fail from now on. When the store refuses (say, a cancel was requested first),
    /// the waiting events are kept for the next <see cref="FinishAsync"/>.
    /// </summary>
    public async Task<FinishResult> FinishAsync(JobTermination termination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(termination);
        Task pump;
        lock (_gate)
        {
            _finishing = true;
            pump = _pump;
        }

        await pump.ConfigureAwait(false);

        List<NewJobEvent> remaining;
        JobState state;
        lock (_gate)
        {
            remaining = _failure is null ? _pending.SelectMany(u => u.Events).ToList() : [];
            state = _state;
        }

        var write = NewWrite();
        var outcome = await UntilStoredAsync(ct => _store.TryFinishAsync(state.JobId, termination, remaining, state, write, ct), cancellationToken).ConfigureAwait(false);
        TaskCompletionSource? waiters = null;
        lock (_gate)
        {
            switch (outcome)
            {
                case FinishResult.Finished finished:
                    _state = finished.State;
                    _claimPending = false;
                    _pending = [];
                    waiters = _pendingDurable;
                    break;
                case FinishResult.AlreadyTerminal terminal:
                    _state = terminal.Current;
                    _failure ??= new JobSealedException(terminal.Current.JobId, terminal.Current.Status);
                    break;
                case FinishResult.CancelPending pending:
                    _state = pending.Current;
                    break;
                case FinishResult.Superseded superseded:
                    _state = superseded.Current;
                    _failure ??= new JobClaimLostException(_claim!);
                    break;
            }
        }

        if (outcome is FinishResult.Finished done)
        {
            waiters!.TrySetResult();
            _appended?.Invoke(done.State);
        }
        else if (outcome is FinishResult.AlreadyTerminal or FinishResult.Superseded)
        {
            FailWaiters();
        }

        return outcome;
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            List<WriteUnit> batch;
            TaskCompletionSource durable;
            JobProgress? progress;
            lock (_gate)
            {
                if (_pending.Count == 0 || _failure is not null || _finishing)
                {
                    _pumping = false;
                    return;
                }

                (batch, _pending) = (_pending, []);
                (durable, _pendingDurable) = (_pendingDurable, NewSignal());
                (progress, _progress) = (_progress, null);
                _lastBatchDurable = durable.Task;
            }

            try
            {
                var slices = Slice(batch);
                if (slices.Count == 0 && ClaimPending)
                {
                    slices.Add(([], []));
                }

                for (var i = 0; i < slices.Count; i++)
                {
                    var (events, steps) = slices[i];
                    var last = i == slices.Count - 1;
                    var sliceProgress = steps.Count == 0 && !last ? null : new JobProgress(
                        last ? progress?.Budget : null,
                        last ? progress?.ResultId : null,
                        steps);
                    await AppendAsync(events, sliceProgress).ConfigureAwait(false);
                }

                durable.TrySetResult();
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    _failure ??= ex;
                }

                durable.TrySetException(ex);
                Observe(durable.Task);
                FailWaiters();
            }
        }
    }

    private async Task AppendAsync(IReadOnlyList<NewJobEvent> events, JobProgress? progress)
    {
        // One logical write, however often it is retried: the store recognises a retry of a commit that landed.
        var write = NewWrite();
        while (true)
        {
            var expected = State;
            switch (await UntilStoredAsync(ct => _store.AppendEventsAsync(expected, events, progress, write, ct), _abandon).ConfigureAwait(false))
            {
                case AppendResult.Appended appended:
                    lock (_gate)
                    {
                        _state = appended.State;
                        _claimPending = false;
                    }

                    _appended?.Invoke(appended.State);
                    return;
                case AppendResult.Conflict conflict:
                    // A cancel request (or a sweep) touched the row; the events still belong after it.
                    lock (_gate)
                    {
                        _state = conflict.Current;
                    }

                    continue;
                case AppendResult.Sealed sealedJob:
                    lock (_gate)
                    {
                        _state = sealedJob.Current;
                    }

                    throw new JobSealedException(sealedJob.Current.JobId, sealedJob.Current.Status);
                case AppendResult.Superseded superseded:
                    lock (_gate)
                    {
                        _state = superseded.Current;
                    }

                    throw new JobClaimLostException(_claim!);
                case AppendResult.CancelPending pending:
                    lock (_gate)
                    {
                        _state = pending.Current;
                    }

                    _cancelledBeforeClaim?.Invoke();
                    throw new OperationCanceledException($"A cancel of job {expected.JobId} was requested before its run stored its claim.");
                default:
                    throw new InvalidOperationException($"Job {expected.JobId} disappeared while running.");
            }
        }
    }

    private JobWrite NewWrite()
    {
        lock (_gate)
        {
            return _claim is null ? JobWrite.Unfenced()
                : _claimPending ? JobWrite.Claiming(_claim, _pendingClaimLease!.Value)
                : JobWrite.FencedBy(_claim);
        }
    }

    private Task<T> UntilStoredAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        StorageOutage.WaitOutAsync(operation, _timeProvider, null, cancellationToken);

    /// <summary>Packs units into appends within the batch limits; a unit (a step and its events) is never split.</summary>
    private List<(List<NewJobEvent> Events, List<CompletedStep> Steps)> Slice(List<WriteUnit> batch)
    {
        var slices = new List<(List<NewJobEvent>, List<CompletedStep>)>();
        var events = new List<NewJobEvent>();
        var steps = new List<CompletedStep>();
        var bytes = 0;
        foreach (var unit in batch)
        {
            var size = unit.Events.Sum(e => e.Payload.Length + 128) + (unit.Step is null ? 0 : Encoding.UTF8.GetByteCount(unit.Step.ResultJson) + 128);
            var full = bytes + size > _options.MaxBatchBytes
                || events.Count + unit.Events.Count > _options.MaxBatchEvents
                || (unit.Step is not null && steps.Count >= _options.MaxStepsPerBatch);
            if ((events.Count > 0 || steps.Count > 0) && full)
            {
                slices.Add((events, steps));
                (events, steps, bytes) = ([], [], 0);
            }

            events.AddRange(unit.Events);
            if (unit.Step is not null)
            {
                steps.Add(unit.Step);
            }

            bytes += size;
        }

        if (events.Count > 0 || steps.Count > 0)
        {
            slices.Add((events, steps));
        }

        return slices;
    }

    private void FailWaiters()
    {
        TaskCompletionSource waiting;
        Exception failure;
        lock (_gate)
        {
            failure = _failure ?? new JobSealedException(_state.JobId, _state.Status);
            waiting = _pendingDurable;
            _pending = [];
        }

        waiting.TrySetException(failure);
        Observe(waiting.Task);
    }

    // Nobody may be awaiting an emit; keep its failure from surfacing as an unobserved task exception.
    private static void Observe(Task task) => task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);

    private sealed record WriteUnit(IReadOnlyList<NewJobEvent> Events, CompletedStep? Step);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

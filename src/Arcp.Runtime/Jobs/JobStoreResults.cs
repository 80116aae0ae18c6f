namespace Arcp.Runtime.Jobs;

/// <summary>Outcome of <see cref="IJobStore.TryClaimAsync"/>.</summary>
public abstract record ClaimResult
{
    private ClaimResult() { }

    /// <summary>This worker now runs the job (first claim, or a takeover after a crash).</summary>
    public sealed record Claimed(JobState State) : ClaimResult;

    /// <summary>The job already ended; do not run it.</summary>
    public sealed record AlreadyTerminal(JobState Current) : ClaimResult;

    /// <summary>A cancel was requested before the job started: finish it as cancelled instead of running it.</summary>
    public sealed record CancelPending(JobState Current) : ClaimResult;

    /// <summary>Another live worker holds the job.</summary>
    public sealed record HeldByOther(JobState Current) : ClaimResult;

    /// <summary>No such job.</summary>
    public sealed record NotFound : ClaimResult;
}

/// <summary>Outcome of <c>IJobStore.AppendEventsAsync</c>.</summary>
public abstract record AppendResult
{
    private AppendResult() { }

    /// <summary>The events are durable with indices <paramref name="FirstIndex"/>.. in order.</summary>
    public sealed record Appended(JobState State, long FirstIndex) : AppendResult;

    /// <summary>The job ended; nothing was written and nothing ever will be.</summary>
    public sealed record Sealed(JobState Current) : AppendResult;

    /// <summary>The state changed since <c>expected</c> was read (say, a cancel request); retry with <paramref name="Current"/>.</summary>
    public sealed record Conflict(JobState Current) : AppendResult;

    /// <summary>The write was fenced on a claim another worker has replaced; nothing was written.</summary>
    public sealed record Superseded(JobState Current) : AppendResult;

    /// <summary>
    /// The write carried a claim not stored yet (<see cref="JobWrite.Claiming"/>) and a cancel was requested first:
    /// nothing was written, and the job is to end cancelled without the run's events, as if the claim had seen the
    /// cancel (<see cref="ClaimResult.CancelPending"/>).
    /// </summary>
    public sealed record CancelPending(JobState Current) : AppendResult;

    /// <summary>No such job.</summary>
    public sealed record NotFound : AppendResult;
}

/// <summary>Outcome of <c>IJobStore.TryFinishAsync</c>.</summary>
public abstract record FinishResult
{
    private FinishResult() { }

    /// <summary>This call wrote the terminal transition; the terminal event has index <paramref name="TerminalIndex"/>.</summary>
    public sealed record Finished(JobState State, long TerminalIndex) : FinishResult;

    /// <summary>Someone else ended the job first; nothing was written.</summary>
    public sealed record AlreadyTerminal(JobState Current) : FinishResult;

    /// <summary>A cancel was requested first; only a <c>cancelled</c> termination is accepted now.</summary>
    public sealed record CancelPending(JobState Current) : FinishResult;

    /// <summary>The state machine has no such edge from the current status.</summary>
    public sealed record NotAllowed(JobState Current) : FinishResult;

    /// <summary>The write was fenced on a claim another worker has replaced; nothing was written.</summary>
    public sealed record Superseded(JobState Current) : FinishResult;

    /// <summary>No such job.</summary>
    public sealed record NotFound : FinishResult;
}

/// <summary>Outcome of <see cref="IJobStore.RequestCancelAsync"/>.</summary>
public abstract record CancelRequestResult
{
    private CancelRequestResult() { }

    /// <summary>The cancel request is recorded (by this call, or <paramref name="AlreadyRequested"/> by an earlier one).</summary>
    public sealed record Requested(JobState State, bool AlreadyRequested) : CancelRequestResult;

    /// <summary>The job already ended: the cancel is answered, not applied.</summary>
    public sealed record AlreadyTerminal(JobState Current) : CancelRequestResult;

    /// <summary>No such job.</summary>
    public sealed record NotFound : CancelRequestResult;
}

/// <summary>Outcome of <see cref="IJobStore.ReadEventsAsync"/>.</summary>
public abstract record JobEventRead
{
    private JobEventRead() { }

    /// <summary>Events from the requested index on, in order (empty when none are stored there yet).</summary>
    public sealed record Events(IReadOnlyList<StoredJobEvent> Items) : JobEventRead;

    /// <summary>The requested index is below what is still retained: the events were swept.</summary>
    public sealed record WindowExpired(long Floor) : JobEventRead;

    /// <summary>No such job.</summary>
    public sealed record NotFound : JobEventRead;
}

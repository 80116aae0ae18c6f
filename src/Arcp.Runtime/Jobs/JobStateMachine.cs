using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// Every job status change goes through here:
/// <c>pending → running → {success, error, cancelled, timed_out}</c> and <c>pending → {cancelled, error}</c>.
/// Terminal states are absorbing. Once a cancel has been requested (and answered with <c>job.cancelled</c>),
/// the only terminal outcome left is <c>cancelled</c>, so a client never sees <c>job.cancelled</c> followed by a success.
/// </summary>
internal static class JobStateMachine
{
    /// <summary>Whether <paramref name="from"/> may change to <paramref name="to"/>.</summary>
    public static bool CanTransition(JobStatus from, JobStatus to, bool cancelRequested = false)
    {
        if (from.IsTerminal() || from == to)
        {
            return false;
        }

        if (cancelRequested && to.IsTerminal() && to != JobStatus.Cancelled)
        {
            return false;
        }

        return (from, to) switch
        {
            (JobStatus.Pending, JobStatus.Running) => true,
            (JobStatus.Pending, JobStatus.Cancelled or JobStatus.Error) => true,
            (JobStatus.Running, JobStatus.Success or JobStatus.Error or JobStatus.Cancelled or JobStatus.TimedOut) => true,
            _ => false,
        };
    }

    /// <summary>Decides a requested terminal transition against the current state.</summary>
    public static TransitionDecision Decide(JobStatus current, bool cancelRequested, JobStatus target)
    {
        if (current.IsTerminal())
        {
            return TransitionDecision.AlreadyTerminal;
        }

        if (cancelRequested && target.IsTerminal() && target != JobStatus.Cancelled)
        {
            return TransitionDecision.CancelPending;
        }

        return CanTransition(current, target, cancelRequested) ? TransitionDecision.Allowed : TransitionDecision.NotAllowed;
    }
}

/// <summary>Outcome of <see cref="JobStateMachine.Decide"/>.</summary>
internal enum TransitionDecision
{
    /// <summary>The transition may be written.</summary>
    Allowed,

    /// <summary>The job already ended; write nothing.</summary>
    AlreadyTerminal,

    /// <summary>A cancel was requested first: only <c>cancelled</c> may end the job now.</summary>
    CancelPending,

    /// <summary>The state machine has no such edge (for example <c>pending → timed_out</c>).</summary>
    NotAllowed,
}

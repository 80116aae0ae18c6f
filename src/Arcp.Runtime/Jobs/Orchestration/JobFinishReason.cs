namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>Why the orchestration ends a job itself instead of leaving it to the agent.</summary>
public enum JobFinishReason
{
    /// <summary>The submitting session cancelled it: <c>job.error CANCELLED</c>.</summary>
    Cancelled,

    /// <summary><c>max_runtime_sec</c> elapsed: <c>job.error TIMEOUT</c>, status <c>timed_out</c>.</summary>
    TimedOut,

    /// <summary>The lease's <c>expires_at</c> passed: <c>job.error LEASE_EXPIRED</c>, status <c>error</c>.</summary>
    LeaseExpired,

    /// <summary>The agent activity kept failing: <c>job.error INTERNAL_ERROR</c>.</summary>
    Failed,
}

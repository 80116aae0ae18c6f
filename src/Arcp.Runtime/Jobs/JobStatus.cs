namespace Arcp.Runtime.Jobs;

/// <summary>The six job states of ARCP §7.3; the last four are terminal.</summary>
public enum JobStatus
{
    /// <summary>Accepted, not yet claimed by a worker.</summary>
    Pending,

    /// <summary>Claimed by a worker; the agent runs.</summary>
    Running,

    /// <summary>Finished with a result.</summary>
    Success,

    /// <summary>Failed (agent error, lease expiry, budget exhaustion).</summary>
    Error,

    /// <summary>Ended by the submitting session's cancel.</summary>
    Cancelled,

    /// <summary>Exceeded <c>max_runtime_sec</c>.</summary>
    TimedOut,
}

namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>
/// Timing of the job orchestration. Values feed durable timers, so changing them affects only instances that have
/// not scheduled the timer yet.
/// </summary>
public sealed class JobOrchestrationOptions
{
    /// <summary>After a cancel, how long the agent gets to unwind and write its own <c>cancelled</c> terminal.</summary>
    public TimeSpan CancelGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts of the credential revocation before the orchestration gives up and logs it.</summary>
    public int RevokeMaxAttempts { get; set; } = 6;

    /// <summary>First delay between revocation attempts; doubles each time, up to five minutes.</summary>
    public TimeSpan RevokeFirstRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Attempts of <c>FinishJob</c> (the terminal write on a cancel, a deadline or a failed agent activity). With the
    /// first interval doubling up to a minute between attempts, the defaults outlast a storage outage of about ten
    /// minutes; past them the instance fails and the sweeper ends the job.
    /// </summary>
    public int FinishMaxAttempts { get; set; } = 15;

    /// <summary>First delay between <c>FinishJob</c> attempts; doubles each time, up to one minute.</summary>
    public TimeSpan FinishFirstRetryInterval { get; set; } = TimeSpan.FromSeconds(2);
}

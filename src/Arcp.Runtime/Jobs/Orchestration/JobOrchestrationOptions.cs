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
}

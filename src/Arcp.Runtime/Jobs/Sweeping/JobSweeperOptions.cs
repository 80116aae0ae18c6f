namespace Arcp.Runtime.Jobs.Sweeping;

/// <summary>How the sweeper repairs what a crash left behind.</summary>
public sealed class JobSweeperOptions
{
    /// <summary>Time between sweeps.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A job without an execution instance is started only once it is this old, so the sweeper does not race a
    /// submission that is between <c>job.accepted</c> and its own start.
    /// </summary>
    public TimeSpan StartMissingAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time between retention passes (expired sessions, old job events, idempotency keys), which run as part of a
    /// sweep once this much time has passed: retention is rarely urgent, and each pass costs a few queries.
    /// </summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most jobs one sweep looks at.</summary>
    public int MaxJobsPerSweep { get; set; } = 1000;

    /// <summary>How long a finished job's events stay readable (replay, subscribe with history).</summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an idempotency key decides its job (ARCP SDK practice suggests at least 24 h).</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);
}

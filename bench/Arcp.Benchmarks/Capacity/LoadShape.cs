namespace Arcp.Benchmarks.Capacity;

/// <summary>
/// A load to size for. Jobs arrive at <see cref="JobsPerMinute"/>, each runs <see cref="JobSeconds"/> and emits
/// <see cref="EventsPerJob"/> events into its session; <see cref="ConnectedSessions"/> sessions are open at once (idle
/// ones included), and <see cref="SessionsOpenedPerMinute"/> new ones arrive. <see cref="Principals"/> spreads the
/// principal index; 1 is the worst case (every job from one principal).
/// </summary>
internal sealed record LoadShape(
    string Name,
    double JobsPerMinute,
    double EventsPerJob,
    double JobSeconds,
    double ConnectedSessions,
    double SessionsOpenedPerMinute,
    double Principals = 1)
{
    public double JobsPerSecond => JobsPerMinute / 60;

    public double EventsPerSecond => JobsPerSecond * EventsPerJob;

    /// <summary>Jobs running at once (Little's law).</summary>
    public double ConcurrentJobs => JobsPerSecond * JobSeconds;

    /// <summary>Events per second into one job's partition while it runs.</summary>
    public double EventsPerSecondPerJob => JobSeconds > 0 ? EventsPerJob / JobSeconds : 0;

    /// <summary>Many short jobs: one <c>echo</c>-like job per session (connect, submit, result, leave).</summary>
    public static LoadShape Short(double jobsPerMinute) =>
        new("many short jobs (echo-like)", jobsPerMinute, EventsPerJob: 1, JobSeconds: 0.2, ConnectedSessions: Math.Max(1, jobsPerMinute / 60 * 2), SessionsOpenedPerMinute: jobsPerMinute);

    /// <summary>Few long streaming jobs: 75 events/s for 60 s each, one session per job.</summary>
    public static LoadShape Chat(double jobsPerMinute, double eventsPerSecond = 75, double seconds = 60) =>
        new("long streaming jobs (chat-like)", jobsPerMinute, EventsPerJob: eventsPerSecond * seconds, JobSeconds: seconds, ConnectedSessions: Math.Max(1, jobsPerMinute / 60 * seconds), SessionsOpenedPerMinute: jobsPerMinute);

    /// <summary>Many idle connected sessions (10,000 by default) and short jobs on some of them.</summary>
    public static LoadShape Idle(double jobsPerMinute, double sessions = 10_000) =>
        new("many idle connected sessions", jobsPerMinute, EventsPerJob: 1, JobSeconds: 0.2, ConnectedSessions: sessions, SessionsOpenedPerMinute: sessions / 60);

    public static LoadShape Named(string name, double jobsPerMinute) => name switch
    {
        "echo" or "short" => Short(jobsPerMinute),
        "chat" => Chat(jobsPerMinute),
        "idle" => Idle(jobsPerMinute),
        _ => throw new ArgumentException($"Unknown load shape '{name}' (echo, chat, idle).", nameof(name)),
    };
}

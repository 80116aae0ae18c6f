namespace Arcp.Cli.Bench;

/// <summary>What one <c>arcp bench</c> run measured.</summary>
internal sealed record BenchReport(
    int Sessions,
    int JobsPerSession,
    int EventsPerJob,
    int JobsSucceeded,
    int JobsFailed,
    long EventsReceived,
    TimeSpan ConnectElapsed,
    TimeSpan JobsElapsed,
    LatencySummary SubmitToAccepted,
    LatencySummary AcceptedToFirstEvent)
{
    public double SessionsPerSecond => Sessions / Math.Max(ConnectElapsed.TotalSeconds, 1e-9);

    public double JobsPerSecond => (JobsSucceeded + JobsFailed) / Math.Max(JobsElapsed.TotalSeconds, 1e-9);

    public double EventsPerSecond => EventsReceived / Math.Max(JobsElapsed.TotalSeconds, 1e-9);
}

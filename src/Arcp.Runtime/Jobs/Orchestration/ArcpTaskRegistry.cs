namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>
/// The durable task names and the classes behind them, in one place for both hosts: the local Durable Task worker
/// registers every entry, and the Functions app declares one function per name.
/// </summary>
internal static class ArcpTaskRegistry
{
    /// <summary>The job orchestration; one instance per job, instance id = job id.</summary>
    public const string JobOrchestration = "JobOrchestrator";

    /// <summary>Runs the job's agent.</summary>
    public const string RunAgent = "RunAgent";

    /// <summary>Writes a terminal transition decided by the orchestration (cancel, timeout, lease expiry, failure).</summary>
    public const string FinishJob = "FinishJob";

    /// <summary>Revokes the job's outstanding credentials.</summary>
    public const string RevokeCredentials = "RevokeCredentials";

    /// <summary>The external event a cancel raises on the instance.</summary>
    public const string CancelEvent = "cancel";

    /// <summary>Every orchestrator, by name.</summary>
    public static IReadOnlyList<ArcpTaskRegistration> Orchestrators { get; } =
    [
        new(JobOrchestration, typeof(JobOrchestrator)),
    ];

    /// <summary>Every activity, by name.</summary>
    public static IReadOnlyList<ArcpTaskRegistration> Activities { get; } =
    [
        new(RunAgent, typeof(RunAgentActivity)),
        new(FinishJob, typeof(FinishJobActivity)),
        new(RevokeCredentials, typeof(RevokeCredentialsActivity)),
    ];
}

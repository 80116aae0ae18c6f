namespace Arcp.Agents.Sdk.Testing;

/// <summary>How <see cref="AgentTestHost.RunAsync"/> submits and runs one job.</summary>
public sealed record AgentRunOptions
{
    /// <summary>The job input as JSON text.</summary>
    public string InputJson { get; init; } = "null";

    /// <summary>
    /// The lease request: capability namespace → patterns, e.g. <c>["tool.call"] = ["clock"]</c>; a budget is
    /// <c>["cost.budget"] = ["USD:1.00"]</c>. Null asks for no lease.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Lease { get; init; }

    /// <summary>The lease's <c>expires_at</c> (ARCP UTC timestamp), when it expires.</summary>
    public string? ExpiresAt { get; init; }

    /// <summary>The features the submitting session negotiated.</summary>
    public IReadOnlyList<string> Features { get; init; } = ["progress", "result_chunk", "cost.budget"];

    /// <summary>The submitting principal.</summary>
    public string Principal { get; init; } = "tester";

    /// <summary>
    /// Simulates a crash of the worker right after this many durable steps completed in the first attempt: the run is
    /// abandoned (as when the process dies) and the job is run again, as the Durable backend would redeliver it.
    /// </summary>
    public int? CrashAfterSteps { get; init; }

    /// <summary>Cancels the job (as its submitter would, with <c>job.cancel</c>) right after this many durable steps completed.</summary>
    public int? CancelAfterSteps { get; init; }

    /// <summary>How long the run may take before the test fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

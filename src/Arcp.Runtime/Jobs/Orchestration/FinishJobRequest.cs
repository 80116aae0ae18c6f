namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>Input of the <c>FinishJob</c> activity.</summary>
/// <param name="JobId">The job to end.</param>
/// <param name="Reason">How it ends, unless it already ended.</param>
public sealed record FinishJobRequest(string JobId, JobFinishReason Reason);

namespace Arcp.Runtime.Jobs;

/// <summary>State changes that ride along with an append, in the same transaction.</summary>
/// <param name="Budget">Remaining budget after the appended cost metrics, when it changed.</param>
/// <param name="ResultId">The streamed result id, when streaming started with this append.</param>
/// <param name="CompletedSteps">Durable steps that complete with this append: their records and their events land together.</param>
public sealed record JobProgress(IReadOnlyDictionary<string, decimal>? Budget = null, string? ResultId = null, IReadOnlyList<CompletedStep>? CompletedSteps = null);

/// <summary>A finished durable step: a re-run after a crash returns <paramref name="ResultJson"/> instead of running it again.</summary>
public sealed record CompletedStep(string Name, string ResultJson);

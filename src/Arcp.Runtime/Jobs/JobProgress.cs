namespace Arcp.Runtime.Jobs;

/// <summary>State changes that ride along with an append, in the same transaction.</summary>
/// <param name="Budget">Remaining budget after the appended cost metrics, when it changed.</param>
/// <param name="ResultId">The streamed result id, when streaming started with this append.</param>
public sealed record JobProgress(IReadOnlyDictionary<string, decimal>? Budget = null, string? ResultId = null);

namespace Arcp.Runtime.Jobs;

/// <summary>One page of a listing of job states.</summary>
/// <param name="Jobs">The jobs of this page (may be empty while more follow).</param>
/// <param name="Continuation">Where the next page starts; null after the last page.</param>
public sealed record JobStatePage(IReadOnlyList<JobState> Jobs, string? Continuation);

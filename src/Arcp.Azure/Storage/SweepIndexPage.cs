namespace Arcp.Azure.Storage;

/// <summary>One page of open rows.</summary>
internal sealed record SweepIndexPage(IReadOnlyList<SweepIndexRow> Rows, string? Continuation);

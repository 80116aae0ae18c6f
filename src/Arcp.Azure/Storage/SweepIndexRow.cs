namespace Arcp.Azure.Storage;

/// <summary>One row of the sweep index: the item's id, the row's key, and when the row was written (open) or the item closed (closed).</summary>
internal sealed record SweepIndexRow(string Id, string Key, DateTimeOffset At);

namespace Arcp.Azure.Storage;

/// <summary>
/// One row of the sweep index: the item's id, the row's key, and when the row was written (open) or the item closed
/// (closed); <see cref="Properties"/> holds what the kind stores beside the id on its open rows, as listed.
/// </summary>
internal sealed record SweepIndexRow(string Id, string Key, DateTimeOffset At)
{
    /// <summary>The extra properties a listing asked for, by name (absent when the row has none).</summary>
    public IReadOnlyDictionary<string, object> Properties { get; init; } = new Dictionary<string, object>();
}

using Azure;
using Azure.Data.Tables;

namespace Arcp.Azure.Storage;

/// <summary>
/// When a full scan should re-add the sweep index rows that a lost write left out (and, on a deployment that predates
/// the index, add them all): at most once per <paramref name="interval"/> per deployment, recorded in a marker row
/// so that scaling out or a cold start does not scan again.
/// </summary>
internal sealed class SweepIndexBackfill(TableClient table, string name, TimeSpan interval, TimeProvider timeProvider)
{
    private const string MarkerPartition = "~backfill";
    private DateTimeOffset _notBefore = DateTimeOffset.MinValue;

    /// <summary>True when the last recorded scan is older than the interval (reads the marker at most once per interval per node).</summary>
    public async Task<bool> IsDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (now < _notBefore)
        {
            return false;
        }

        var marker = await table.GetEntityIfExistsAsync<TableEntity>(MarkerPartition, name, select: ["CompletedAt"], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (marker.HasValue && marker.Value!.GetDateTimeOffset("CompletedAt") is { } completed && now - completed < interval)
        {
            _notBefore = completed + interval;
            return false;
        }

        return true;
    }

    /// <summary>Records a completed scan.</summary>
    public async Task CompletedAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await table.UpsertEntityAsync(new TableEntity(MarkerPartition, name) { ["CompletedAt"] = now }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        _notBefore = now + interval;
    }
}

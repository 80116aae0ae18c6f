using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Arcp.Azure.Storage;

/// <summary>
/// One kind of row in the sweep index table: an <c>open</c> row per item a sweep must visit (an unfinished job, a
/// session attached through Web PubSub) and a
/// <c>closed</c> row per item that waits for retention, keyed by when it closed, so retention reads only what is due.
/// Rows are spread over <see cref="Buckets"/> partitions per kind, so no single partition takes every submit and
/// finish, and the sweeps read them with one range query instead of scanning the job or session tables.
/// </summary>
/// <remarks>
/// The rows are hints, never the truth: a sweep reads the item itself before acting, drops an open row whose item
/// closed or vanished, and a periodic full scan (<see cref="SweepIndexBackfill"/>) adds rows a failed write left out.
/// </remarks>
internal sealed class SweepIndexRows(TableClient table, string kind)
{
    /// <summary>Partitions per kind. Fixed: a row's partition is derived from its id, so changing this strands rows.</summary>
    public const int Buckets = 8;

    private const string OpenPrefix = "open|";
    private const string OpenEnd = "open}";
    private const string ClosedPrefix = "done|";

    private readonly string _firstPartition = kind + "-";
    private readonly string _lastPartition = kind + ".";

    /// <summary>Writes the open row of <paramref name="id"/> (idempotent).</summary>
    public Task OpenAsync(string id, CancellationToken cancellationToken) => OpenAsync(id, [], cancellationToken);

    /// <summary>Writes the open row of <paramref name="id"/>, with <paramref name="properties"/> beside the id (idempotent).</summary>
    public async Task OpenAsync(string id, IEnumerable<KeyValuePair<string, object>> properties, CancellationToken cancellationToken)
    {
        var row = OpenRow(id, properties);
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Updates properties of the open row of <paramref name="id"/> if it exists (a missing row stays missing). True when it existed.</summary>
    public async Task<bool> UpdateOpenAsync(string id, IEnumerable<KeyValuePair<string, object>> properties, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(OpenRow(id, properties), ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Deletes the open row of <paramref name="id"/>, if any, leaving no closed row.</summary>
    public Task RemoveOpenAsync(string id, CancellationToken cancellationToken) =>
        DeleteAsync(Partition(id), OpenPrefix + TableKeys.Escape(id), cancellationToken);

    /// <summary>Replaces the open row of <paramref name="id"/> with its closed row, in one transaction when the open row exists.</summary>
    public async Task CloseAsync(string id, DateTimeOffset closedAt, CancellationToken cancellationToken)
    {
        var partition = Partition(id);
        var closed = new TableEntity(partition, ClosedKey(id, closedAt)) { ["Id"] = id, ["ClosedAt"] = closedAt.ToUniversalTime() };
        try
        {
            await table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, closed),
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, OpenPrefix + TableKeys.Escape(id)), ETag.All),
                ],
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            // No open row (written before the index existed, or already closed): the closed row alone.
            await table.UpsertEntityAsync(closed, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the closed row of an item that never had an open one (idempotent).</summary>
    public async Task AddClosedAsync(string id, DateTimeOffset closedAt, CancellationToken cancellationToken)
    {
        var closed = new TableEntity(Partition(id), ClosedKey(id, closedAt)) { ["Id"] = id, ["ClosedAt"] = closedAt.ToUniversalTime() };
        await table.UpsertEntityAsync(closed, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the closed row of <paramref name="id"/> that <see cref="CloseAsync"/> wrote for <paramref name="closedAt"/>, if any.</summary>
    public Task RemoveClosedAsync(string id, DateTimeOffset closedAt, CancellationToken cancellationToken) =>
        DeleteAsync(Partition(id), ClosedKey(id, closedAt), cancellationToken);

    /// <summary>Deletes a row a listing returned.</summary>
    public Task RemoveAsync(SweepIndexRow row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        return DeleteAsync(Partition(row.Id), row.Key, cancellationToken);
    }

    /// <summary>One page of open rows over all buckets; the continuation is the table's own.</summary>
    public Task<SweepIndexPage> ListOpenAsync(string? continuation, int maxCount, CancellationToken cancellationToken) =>
        ListOpenAsync(continuation, maxCount, [], cancellationToken);

    /// <summary>One page of open rows over all buckets, with the named <paramref name="properties"/>; the continuation is the table's own.</summary>
    public async Task<SweepIndexPage> ListOpenAsync(string? continuation, int maxCount, IReadOnlyList<string> properties, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {_firstPartition} and PartitionKey lt {_lastPartition} and RowKey ge {OpenPrefix} and RowKey lt {OpenEnd}");
        var pageSize = Math.Min(maxCount, 1000);
        string[] select = ["Id", "RowKey", "Timestamp", .. properties];
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, select: select, cancellationToken: cancellationToken).AsPages(continuation, pageSize).ConfigureAwait(false))
        {
            var rows = page.Values.Select(r => new SweepIndexRow(r.GetString("Id"), r.RowKey, r.Timestamp ?? DateTimeOffset.MinValue)
            {
                Properties = properties.Where(r.ContainsKey).ToDictionary(name => name, name => r[name], StringComparer.Ordinal),
            }).ToList();
            return new SweepIndexPage(rows, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new SweepIndexPage([], null);
    }

    /// <summary>Up to <paramref name="maxCount"/> closed rows that closed before <paramref name="cutoff"/>, oldest first within a bucket.</summary>
    public async Task<IReadOnlyList<SweepIndexRow>> ListClosedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var end = ClosedPrefix + TableKeys.Padded(cutoff.ToUnixTimeMilliseconds());
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {_firstPartition} and PartitionKey lt {_lastPartition} and RowKey ge {ClosedPrefix} and RowKey lt {end}");
        var rows = new List<SweepIndexRow>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(maxCount, 1000), select: ["Id", "RowKey", "ClosedAt"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new SweepIndexRow(row.GetString("Id"), row.RowKey, row.GetDateTimeOffset("ClosedAt") ?? DateTimeOffset.MinValue));
            if (rows.Count == maxCount)
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>The partition of <paramref name="id"/>: a stable hash, the same on every node and every run.</summary>
    internal string Partition(string id)
    {
        // FNV-1a: string.GetHashCode is randomised per process.
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return kind + "-" + (hash % Buckets).ToString(CultureInfo.InvariantCulture);
    }

    private TableEntity OpenRow(string id, IEnumerable<KeyValuePair<string, object>> properties)
    {
        var row = new TableEntity(Partition(id), OpenPrefix + TableKeys.Escape(id)) { ["Id"] = id };
        foreach (var (name, value) in properties)
        {
            row[name] = value;
        }

        return row;
    }

    // Whole milliseconds: the key must be recomputable from the item's stored time, whose precision a store may cut.
    private static string ClosedKey(string id, DateTimeOffset closedAt) =>
        ClosedPrefix + TableKeys.Padded(closedAt.ToUnixTimeMilliseconds()) + "|" + TableKeys.Escape(id);

    private async Task DeleteAsync(string partition, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partition, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone.
        }
    }
}

using Arcp.Azure.Storage;
using Arcp.Runtime.Delivery;
using Azure;
using Azure.Data.Tables;

namespace Arcp.Azure.Sessions;

/// <summary>
/// <see cref="IOutboxSyncMarks"/> as rows of one partition of the sessions table (no session id starts with
/// <c>~</c>, so session scans never meet them); the sweeper reads that one partition instead of every session.
/// </summary>
public sealed class TableOutboxSyncMarks(ArcpStorage storage) : IOutboxSyncMarks
{
    private const string Partition = "~outboxsync";
    private readonly TableClient _table = storage.Sessions;

    /// <inheritdoc />
    public async Task MarkAsync(string sessionId, string jobId, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, RowKey(sessionId, jobId)) { ["SessionId"] = sessionId, ["JobId"] = jobId };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ClearAsync(string sessionId, string jobId, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(Partition, RowKey(sessionId, jobId), ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already cleared.
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxSyncMark>> ListAsync(int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var marks = new List<OutboxSyncMark>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(maxCount, 1000), select: ["SessionId", "JobId"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            marks.Add(new OutboxSyncMark(row.GetString("SessionId"), row.GetString("JobId")));
            if (marks.Count == maxCount)
            {
                break;
            }
        }

        return marks;
    }

    private static string RowKey(string sessionId, string jobId) => TableKeys.Escape(sessionId) + "|" + TableKeys.Escape(jobId);
}

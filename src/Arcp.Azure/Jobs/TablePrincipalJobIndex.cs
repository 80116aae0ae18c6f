using Arcp.Azure.Storage;
using Arcp.Runtime.Jobs;
using Azure;
using Azure.Data.Tables;

namespace Arcp.Azure.Jobs;

/// <summary><see cref="IPrincipalJobIndex"/> on Azure Tables: partition = escaped principal, row = job id.</summary>
public sealed class TablePrincipalJobIndex(ArcpStorage storage) : IPrincipalJobIndex
{
    private readonly TableClient _table = storage.JobIndex;

    /// <inheritdoc />
    public async Task AddAsync(JobIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var entity = new TableEntity(TableKeys.Escape(entry.Principal), entry.JobId)
        {
            ["Principal"] = entry.Principal,
            ["Agent"] = entry.Agent,
            ["CreatedAt"] = entry.CreatedAt,
            ["SubmitterSessionId"] = entry.SubmitterSessionId,
            ["TraceId"] = entry.TraceId,
            ["ParentJobId"] = entry.ParentJobId,
        };
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Already indexed: the row is immutable, so a retry after a crash has nothing to add.
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobIndexEntry>> ListAsync(string principal, string? afterJobId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var partition = TableKeys.Escape(principal);
        var filter = afterJobId is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {afterJobId}");
        var entries = new List<JobIndexEntry>(limit);
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new JobIndexEntry(
                e.GetString("Principal"),
                e.RowKey,
                e.GetString("Agent"),
                e.GetDateTimeOffset("CreatedAt") ?? default,
                e.GetString("SubmitterSessionId"),
                e.GetString("TraceId"),
                e.GetString("ParentJobId")));
            if (entries.Count == limit)
            {
                break;
            }
        }

        return entries;
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string principal, string jobId, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(TableKeys.Escape(principal), jobId, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone.
        }
    }
}

using Arcp.Azure.Storage;
using Arcp.Runtime.Idempotency;
using Azure;
using Azure.Data.Tables;

namespace Arcp.Azure.Idempotency;

/// <summary>
/// <see cref="IIdempotencyStore"/> on Azure Tables: partition = escaped principal, row = SHA-256 of the key. The
/// insert is conditional (an entity insert fails with 409 when the row exists), so exactly one submission wins.
/// </summary>
public sealed class TableIdempotencyStore(ArcpStorage storage) : IIdempotencyStore
{
    private readonly TableClient _table = storage.Idempotency;

    /// <inheritdoc />
    public async Task<IdempotencyReservation> ReserveAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var partition = TableKeys.Escape(record.Principal);
        var row = TableKeys.Hash(record.Key);
        try
        {
            await _table.AddEntityAsync(
                new TableEntity(partition, row)
                {
                    ["Principal"] = record.Principal,
                    ["Key"] = record.Key,
                    ["ParametersHash"] = record.ParametersHash,
                    ["JobId"] = record.JobId,
                    ["AcceptedPayload"] = record.AcceptedPayloadJson,
                    ["CreatedAt"] = record.CreatedAt,
                },
                cancellationToken).ConfigureAwait(false);
            return new IdempotencyReservation(record, Won: true);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = (await _table.GetEntityAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return new IdempotencyReservation(
                new IdempotencyRecord(
                    existing.GetString("Principal"),
                    existing.GetString("Key"),
                    existing.GetString("ParametersHash"),
                    existing.GetString("JobId"),
                    existing.GetString("AcceptedPayload"),
                    existing.GetDateTimeOffset("CreatedAt") ?? default),
                Won: false);
        }
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string principal, string key, string jobId, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Escape(principal);
        var row = TableKeys.Hash(key);
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row, select: ["JobId"], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!existing.HasValue || existing.Value!.GetString("JobId") != jobId)
        {
            return;
        }

        try
        {
            // Conditional on the version read: a key taken over meanwhile is left alone.
            await _table.DeleteEntityAsync(partition, row, existing.Value.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Released or swept concurrently.
        }
    }

    /// <inheritdoc />
    public async Task<int> SweepAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var removed = 0;
        var filter = TableClient.CreateQueryFilter($"CreatedAt lt {cutoff}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await _table.DeleteEntityAsync(e.PartitionKey, e.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                removed++;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Swept concurrently.
            }
        }

        return removed;
    }
}

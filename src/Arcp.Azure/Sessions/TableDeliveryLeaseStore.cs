using Arcp.Azure.Storage;
using Arcp.Runtime.Delivery;
using Azure;
using Azure.Data.Tables;

namespace Arcp.Azure.Sessions;

/// <summary>
/// <see cref="IDeliveryLeaseStore"/> on Azure Tables: row <c>delivery</c> in the session's partition of the sessions
/// table (deleted with the session), written only with If-Match (or as an insert when new).
/// </summary>
public sealed class TableDeliveryLeaseStore(ArcpStorage storage) : IDeliveryLeaseStore
{
    private const string Row = "delivery";
    private readonly TableClient _table = storage.Sessions;

    /// <inheritdoc />
    public async Task<DeliveryLeaseRecord?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(sessionId, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <inheritdoc />
    public async Task<DeliveryLeaseRecord?> TryWriteAsync(DeliveryLeaseRecord expected, DeliveryLeaseRecord updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        var entity = new TableEntity(expected.SessionId, Row)
        {
            ["Owner"] = updated.Owner,
            ["Until"] = updated.Until,
            ["ConnectionId"] = updated.ConnectionId,
            ["DeliveredSeq"] = updated.DeliveredSeq,
        };
        try
        {
            var response = expected.Version.Length == 0
                ? await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await _table.UpdateEntityAsync(entity, new ETag(expected.Version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return updated with { SessionId = expected.SessionId, Version = response.Headers.ETag?.ToString() ?? "" };
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return null;
        }
    }

    private static DeliveryLeaseRecord FromEntity(TableEntity entity) => new()
    {
        SessionId = entity.PartitionKey,
        Owner = entity.GetString("Owner"),
        Until = entity.GetDateTimeOffset("Until"),
        ConnectionId = entity.GetString("ConnectionId"),
        DeliveredSeq = entity.GetInt64("DeliveredSeq") ?? 0,
        Version = entity.ETag.ToString(),
    };
}

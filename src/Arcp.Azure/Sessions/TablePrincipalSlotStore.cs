using System.Text;
using Arcp.Azure.Storage;
using Arcp.Runtime.Sessions;
using Azure;
using Azure.Data.Tables;

namespace Arcp.Azure.Sessions;

/// <summary>
/// <see cref="IPrincipalSlotStore"/> on Azure Tables: one row per principal in the sessions table, partition
/// <c>ps:</c> + hash of the principal (never a session id), the attached session ids space-separated in UTF-8 over
/// the entity's binary chunks (one string property holds only about a thousand ids; the entity about thirty thousand).
/// </summary>
public sealed class TablePrincipalSlotStore(ArcpStorage storage) : IPrincipalSlotStore
{
    private const string PartitionPrefix = "ps:";
    private const string Row = "slots";
    private readonly TableClient _table = storage.Sessions;

    /// <inheritdoc />
    public async Task<PrincipalSlots> GetAsync(string principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(principal), Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return new PrincipalSlots(principal, [], "");
        }

        // Rows written before the chunked layout keep the list in one string property.
        var ids = response.Value!.GetString("Sessions") ?? Encoding.UTF8.GetString(ChunkedBinary.Read(response.Value));
        return new PrincipalSlots(principal, ids.Split(' ', StringSplitOptions.RemoveEmptyEntries), response.Value.ETag.ToString());
    }

    /// <inheritdoc />
    public async Task<bool> TryWriteAsync(PrincipalSlots expected, IReadOnlyList<string> sessionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(sessionIds);
        var entity = new TableEntity(Partition(expected.Principal), Row);
        ChunkedBinary.Write(entity, Encoding.UTF8.GetBytes(string.Join(' ', sessionIds)));
        try
        {
            if (expected.Version.Length == 0)
            {
                await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _table.UpdateEntityAsync(entity, new ETag(expected.Version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    private static string Partition(string principal) => PartitionPrefix + TableKeys.Hash(principal);
}

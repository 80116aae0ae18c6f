using Arcp.Azure.Storage;
using Arcp.Runtime.Credentials;
using Azure;
using Azure.Data.Tables;

namespace Arcp.Azure.Credentials;

/// <summary><see cref="ICredentialLedger"/> on Azure Tables: partition = job id, row = credential id.</summary>
public sealed class TableCredentialLedger(ArcpStorage storage) : ICredentialLedger
{
    private readonly TableClient _table = storage.Credentials;

    /// <inheritdoc />
    public async Task RecordIssuedAsync(IReadOnlyList<CredentialLedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            try
            {
                await _table.AddEntityAsync(ToEntity(entry), cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Recorded by an earlier attempt.
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CredentialLedgerEntry>> ListAsync(string jobId, CancellationToken cancellationToken)
    {
        var entries = new List<CredentialLedgerEntry>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == jobId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(FromEntity(e));
        }

        return entries;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CredentialLedgerEntry>> ListOutstandingAsync(string jobId, CancellationToken cancellationToken) =>
        (await ListAsync(jobId, cancellationToken).ConfigureAwait(false)).Where(e => !e.Revoked).ToList();

    /// <inheritdoc />
    public Task RecordRotatedAsync(string jobId, string credentialId, byte[] protectedValue, CancellationToken cancellationToken) =>
        _table.UpdateEntityAsync(new TableEntity(jobId, credentialId) { ["ProtectedValue"] = protectedValue }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    /// <inheritdoc />
    public Task MarkRevokedAsync(string jobId, string credentialId, CancellationToken cancellationToken) =>
        _table.UpdateEntityAsync(new TableEntity(jobId, credentialId) { ["Revoked"] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    /// <inheritdoc />
    public async Task RecordRevokeFailureAsync(string jobId, string credentialId, string error, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = (await _table.GetEntityAsync<TableEntity>(jobId, credentialId, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            var update = new TableEntity(jobId, credentialId)
            {
                ["RevokeAttempts"] = (current.GetInt32("RevokeAttempts") ?? 0) + 1,
                ["LastRevokeError"] = error,
            };
            try
            {
                await _table.UpdateEntityAsync(update, current.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                await Runtime.Storage.ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TableEntity ToEntity(CredentialLedgerEntry e) => new(e.JobId, e.CredentialId)
    {
        ["Provider"] = e.Provider,
        ["ProtectedValue"] = e.ProtectedValue,
        ["IssuedAt"] = e.IssuedAt,
        ["ExpiresAt"] = e.ExpiresAt,
        ["Revoked"] = e.Revoked,
        ["RevokeAttempts"] = e.RevokeAttempts,
        ["LastRevokeError"] = e.LastRevokeError,
        ["Endpoint"] = e.Endpoint,
        ["Profile"] = e.Profile,
        ["CostBudget"] = e.CostBudget is null ? null : string.Join('\n', e.CostBudget),
        ["ModelUse"] = e.ModelUse is null ? null : string.Join('\n', e.ModelUse),
    };

    private static CredentialLedgerEntry FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        e.GetString("Provider"),
        e.GetBinary("ProtectedValue") ?? [],
        e.GetDateTimeOffset("IssuedAt") ?? default,
        e.GetDateTimeOffset("ExpiresAt"),
        e.GetBoolean("Revoked") ?? false,
        e.GetInt32("RevokeAttempts") ?? 0,
        e.GetString("LastRevokeError"))
    {
        Endpoint = e.GetString("Endpoint") ?? "",
        Profile = e.GetString("Profile"),
        CostBudget = e.GetString("CostBudget")?.Split('\n'),
        ModelUse = e.GetString("ModelUse")?.Split('\n'),
    };
}

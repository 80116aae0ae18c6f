using System.Collections.Concurrent;

namespace Arcp.Runtime.Credentials;

/// <summary><see cref="ICredentialLedger"/> in process memory, for fast tests.</summary>
internal sealed class InMemoryCredentialLedger : ICredentialLedger
{
    private readonly ConcurrentDictionary<(string JobId, string CredentialId), CredentialLedgerEntry> _entries = new();

    /// <inheritdoc />
    public Task RecordIssuedAsync(IReadOnlyList<CredentialLedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            _entries.TryAdd((entry.JobId, entry.CredentialId), entry);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CredentialLedgerEntry>> ListAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CredentialLedgerEntry>>(_entries.Values.Where(e => e.JobId == jobId).OrderBy(e => e.CredentialId, StringComparer.Ordinal).ToList());

    /// <inheritdoc />
    public async Task<IReadOnlyList<CredentialLedgerEntry>> ListOutstandingAsync(string jobId, CancellationToken cancellationToken) =>
        (await ListAsync(jobId, cancellationToken).ConfigureAwait(false)).Where(e => !e.Revoked).ToList();

    /// <inheritdoc />
    public Task RecordRotatedAsync(string jobId, string credentialId, byte[] protectedValue, CancellationToken cancellationToken)
    {
        _entries.AddOrUpdate((jobId, credentialId), _ => throw new KeyNotFoundException(credentialId), (_, e) => e with { ProtectedValue = protectedValue });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task MarkRevokedAsync(string jobId, string credentialId, CancellationToken cancellationToken)
    {
        _entries.AddOrUpdate((jobId, credentialId), _ => throw new KeyNotFoundException(credentialId), (_, e) => e with { Revoked = true });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordRevokeFailureAsync(string jobId, string credentialId, string error, CancellationToken cancellationToken)
    {
        _entries.AddOrUpdate((jobId, credentialId), _ => throw new KeyNotFoundException(credentialId), (_, e) => e with { RevokeAttempts = e.RevokeAttempts + 1, LastRevokeError = error });
        return Task.CompletedTask;
    }
}

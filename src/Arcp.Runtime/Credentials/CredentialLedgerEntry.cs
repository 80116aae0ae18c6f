namespace Arcp.Runtime.Credentials;

/// <summary>
/// A provisioned credential's durable bookkeeping. The secret value is never stored here in plain text:
/// <paramref name="ProtectedValue"/> is what the configured protector produced.
/// </summary>
public sealed record CredentialLedgerEntry(
    string JobId,
    string CredentialId,
    string Provider,
    byte[] ProtectedValue,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ExpiresAt,
    bool Revoked = false,
    int RevokeAttempts = 0,
    string? LastRevokeError = null)
{
    /// <summary>Where the credential is used (not secret; shown again on replays and to subscribers).</summary>
    public string Endpoint { get; init; } = "";

    /// <summary>Upstream profile, if any.</summary>
    public string? Profile { get; init; }

    /// <summary>The <c>cost.budget</c> constraint it was issued with.</summary>
    public IReadOnlyList<string>? CostBudget { get; init; }

    /// <summary>The <c>model.use</c> constraint it was issued with.</summary>
    public IReadOnlyList<string>? ModelUse { get; init; }
}

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
    string? LastRevokeError = null);

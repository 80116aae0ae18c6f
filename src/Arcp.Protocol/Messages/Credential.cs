namespace Arcp.Protocol.Messages;

/// <summary>A provisioned credential: <c>{id, scheme, value, endpoint, profile?, constraints?}</c>. The value is a secret.</summary>
/// <param name="Id">Credential id (<c>cred_…</c>).</param>
/// <param name="Scheme">Authentication scheme (<c>bearer</c>).</param>
/// <param name="Value">Credential material.</param>
/// <param name="Endpoint">Base URL at which the credential is valid.</param>
/// <param name="Profile">API protocol hint.</param>
/// <param name="Constraints">Upstream-enforced restrictions.</param>
public sealed record Credential(
    string Id,
    string Scheme,
    string Value,
    string Endpoint,
    string? Profile = null,
    CredentialConstraints? Constraints = null)
{
    /// <summary>Returns a log-safe description without the secret value.</summary>
    public override string ToString() => $"Credential {{ Id = {Id}, Scheme = {Scheme}, Endpoint = {Endpoint} }}";
}

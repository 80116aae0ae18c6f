namespace Arcp.Runtime.Credentials;

/// <summary>Provisioned credentials (settings <c>Arcp:Credentials:*</c>).</summary>
public sealed class CredentialOptions
{
    /// <summary>Base64 AES-256 key that protects stored credential values.</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>The upstream the built-in provisioner issues credentials for; the provisioner is off when unset.</summary>
    public string? Endpoint { get; set; }

    /// <summary>API profile hint sent with each credential (e.g. <c>openai</c>).</summary>
    public string? Profile { get; set; } = "generic";

    /// <summary>
    /// Also issue credentials to clients on an unencrypted, non-loopback connection (§14 forbids it). Only for a host
    /// behind a TLS-terminating proxy that does not pass the scheme on.
    /// </summary>
    public bool AllowInsecureTransport { get; set; }
}

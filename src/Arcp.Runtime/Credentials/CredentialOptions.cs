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
}

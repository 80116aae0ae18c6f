using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Credentials;

/// <summary>
/// AES-256-GCM with the key in <c>Arcp:Credentials:EncryptionKey</c> (base64, 32 bytes). Output: 12-byte nonce,
/// 16-byte tag, ciphertext. Without a configured key a random per-process key is used: values then cannot be read
/// back after a restart (revocation by id still works).
/// </summary>
internal sealed class AesGcmSecretProtector : ISecretProtector
{
    private readonly byte[] _key;

    /// <summary>Creates the protector.</summary>
    public AesGcmSecretProtector(IOptions<CredentialOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = string.IsNullOrEmpty(options.Value.EncryptionKey) ? RandomNumberGenerator.GetBytes(32) : Convert.FromBase64String(options.Value.EncryptionKey);
        if (_key.Length != 32)
        {
            throw new InvalidOperationException("Arcp:Credentials:EncryptionKey must be 32 bytes (base64).");
        }
    }

    /// <inheritdoc />
    public byte[] Protect(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var output = new byte[12 + 16 + plain.Length];
        var nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, output.AsSpan(28), output.AsSpan(12, 16));
        return output;
    }

    /// <inheritdoc />
    public string Unprotect(byte[] protectedValue)
    {
        ArgumentNullException.ThrowIfNull(protectedValue);
        var plain = new byte[protectedValue.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(protectedValue.AsSpan(0, 12), protectedValue.AsSpan(28), protectedValue.AsSpan(12, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }
}

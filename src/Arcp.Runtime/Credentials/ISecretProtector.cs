namespace Arcp.Runtime.Credentials;

/// <summary>Encrypts secret values before they are stored; they are never kept in plain text.</summary>
public interface ISecretProtector
{
    /// <summary>Encrypts.</summary>
    byte[] Protect(string secret);

    /// <summary>Decrypts; throws when the data was not produced with this key.</summary>
    string Unprotect(byte[] protectedValue);
}

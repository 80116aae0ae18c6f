using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Arcp.Host.Development;

/// <summary>
/// The bearer token a local run mints for the person at the keyboard when none is configured. It exists only in this
/// process's memory and only once the host is known to listen on loopback addresses alone.
/// </summary>
internal sealed class DevelopmentToken
{
    /// <summary>The principal the development token authenticates as.</summary>
    public const string Principal = "dev";

    private const int TokenBytes = 32;

    private volatile byte[]? _hash;

    /// <summary>Mints the token and starts accepting it; returns its value (to be shown once, never logged).</summary>
    public string Mint()
    {
        var value = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(TokenBytes));
        _hash = Hash(value);
        return value;
    }

    /// <summary>Whether <paramref name="token"/> is the minted token (constant-time; false before minting).</summary>
    public bool Matches(string token)
    {
        var hash = _hash;
        return hash is not null && CryptographicOperations.FixedTimeEquals(hash, Hash(token));
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

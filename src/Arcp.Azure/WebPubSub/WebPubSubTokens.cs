using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// The Web PubSub access-key JWTs and signatures: HS256 keyed with the UTF-8 bytes of the access key (not its base64
/// decoding); client tokens with <c>aud = https://host/client/hubs/{hub}</c>; REST tokens with <c>aud</c> = the full
/// request URL; upstream <c>ce-signature</c> = <c>sha256=</c> hex HMAC of the connection id per key.
/// </summary>
internal static class WebPubSubTokens
{
    private static readonly JsonWebTokenHandler s_handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string Create(string accessKey, string audience, string? subject, DateTimeOffset now, TimeSpan lifetime)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(accessKey)), SecurityAlgorithms.HmacSha256),
        };
        if (subject is not null)
        {
            descriptor.Subject = new ClaimsIdentity([new Claim("sub", subject)]);
        }

        return s_handler.CreateToken(descriptor);
    }

    public static string ClientAudience(Uri endpoint, string hub) =>
        new Uri(HttpsOf(endpoint), $"client/hubs/{hub}").AbsoluteUri;

    /// <summary><c>sha256=&lt;hex&gt;</c> of one key over the connection id.</summary>
    public static string Signature(string accessKey, string connectionId) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(accessKey), Encoding.UTF8.GetBytes(connectionId)));

    /// <summary>True when any signature in the header matches any key (constant-time, hex case-insensitive).</summary>
    public static bool SignatureMatches(IReadOnlyList<string> keys, string connectionId, string? header)
    {
        if (string.IsNullOrEmpty(header) || keys.Count == 0)
        {
            return false;
        }

        var presented = header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var match = false;
        foreach (var key in keys)
        {
            var expected = Encoding.ASCII.GetBytes(Signature(key, connectionId));
            foreach (var candidate in presented)
            {
                match |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate.ToLowerInvariant()));
            }
        }

        return match;
    }

    private static Uri HttpsOf(Uri endpoint)
    {
        var builder = new UriBuilder(endpoint) { Path = "/" };
        builder.Scheme = endpoint.Scheme switch { "ws" => "http", "wss" => "https", _ => endpoint.Scheme };
        return builder.Uri;
    }
}

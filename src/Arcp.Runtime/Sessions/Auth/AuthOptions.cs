namespace Arcp.Runtime.Sessions.Auth;

/// <summary>How <c>session.hello</c> bearer tokens are verified (settings <c>Arcp:Auth:*</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>Static tokens: token → principal (<c>Arcp:Auth:Tokens:&lt;token&gt; = &lt;principal&gt;</c>).</summary>
    public Dictionary<string, string> Tokens { get; set; } = new(StringComparer.Ordinal);

    /// <summary>JWT bearer validation; off when no signing key is configured.</summary>
    public JwtAuthOptions Jwt { get; set; } = new();
}

/// <summary>JWT validation settings (<c>Arcp:Auth:Jwt:*</c>).</summary>
public sealed class JwtAuthOptions
{
    /// <summary>Required <c>iss</c>.</summary>
    public string? Issuer { get; set; }

    /// <summary>Required <c>aud</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Signing keys separated by <c>;</c>: a PEM public key (<c>-----BEGIN PUBLIC KEY-----</c>) for RS256, or a base64
    /// secret of at least 32 bytes for HS256.
    /// </summary>
    public string? SigningKeys { get; set; }

    /// <summary>Tolerated clock difference for <c>exp</c>/<c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}

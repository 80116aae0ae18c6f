using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Arcp.Runtime.Sessions.Auth;

/// <summary>
/// Verifies bearer tokens: static tokens from configuration (compared in constant time, every one checked so timing
/// reveals nothing), then JWTs (HS256 or RS256) with issuer, audience and lifetime validation.
/// </summary>
internal sealed class BearerAuthenticator : IBearerAuthenticator
{
    private readonly (byte[] Hash, string Principal)[] _staticTokens;
    private readonly JsonWebTokenHandler _jwtHandler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters? _jwtParameters;

    /// <summary>Builds the verifier from options; a malformed signing key fails at start-up.</summary>
    public BearerAuthenticator(IOptions<AuthOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _staticTokens = value.Tokens
            .Where(kv => !string.IsNullOrEmpty(kv.Key) && !string.IsNullOrEmpty(kv.Value))
            .Select(kv => (Hash(kv.Key), kv.Value))
            .ToArray();
        var keys = ParseKeys(value.Jwt.SigningKeys);
        if (keys.Count > 0)
        {
            _jwtParameters = new TokenValidationParameters
            {
                ValidIssuer = value.Jwt.Issuer,
                ValidateIssuer = !string.IsNullOrEmpty(value.Jwt.Issuer),
                ValidAudience = value.Jwt.Audience,
                ValidateAudience = !string.IsNullOrEmpty(value.Jwt.Audience),
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = value.Jwt.ClockSkew,
                IssuerSigningKeys = keys,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.RsaSha256],
                LifetimeValidator = (notBefore, expires, _, p) =>
                {
                    var now = timeProvider.GetUtcNow().UtcDateTime;
                    return (notBefore is null || notBefore.Value - p.ClockSkew <= now) && expires is not null && expires.Value + p.ClockSkew > now;
                },
            };
        }
    }

    /// <inheritdoc />
    public async Task<string?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var presented = Hash(token);
        string? match = null;
        foreach (var (hash, principal) in _staticTokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, presented))
            {
                match = principal;
            }
        }

        if (match is not null || _jwtParameters is null || token.Count(c => c == '.') != 2)
        {
            return match;
        }

        var result = await _jwtHandler.ValidateTokenAsync(token, _jwtParameters).ConfigureAwait(false);
        return result.IsValid && result.Claims.TryGetValue("sub", out var sub) && sub is string subject && subject.Length > 0 ? subject : null;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static List<SecurityKey> ParseKeys(string? configured)
    {
        var keys = new List<SecurityKey>();
        foreach (var entry in (configured ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.StartsWith("-----BEGIN", StringComparison.Ordinal))
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(entry);
                keys.Add(new RsaSecurityKey(rsa));
            }
            else
            {
                var secret = Convert.FromBase64String(entry);
                if (secret.Length < 32)
                {
                    throw new InvalidOperationException("An HS256 signing key must be at least 32 bytes.");
                }

                keys.Add(new SymmetricSecurityKey(secret));
            }
        }

        return keys;
    }
}

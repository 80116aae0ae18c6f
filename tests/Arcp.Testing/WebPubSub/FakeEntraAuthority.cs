using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Arcp.Testing.WebPubSub;

/// <summary>
/// An OpenID Connect authority on loopback (metadata + JWKS with one RSA key) that mints tokens like Entra ID does for
/// a managed identity — to test upstream authentication without Azure.
/// </summary>
public sealed class FakeEntraAuthority : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;

    private FakeEntraAuthority(WebApplication app)
    {
        _app = app;
        _key = new RsaSecurityKey(_rsa) { KeyId = "test-key" };
    }

    /// <summary>The authority URL (issuer).</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>Starts the authority on a free port.</summary>
    public static async Task<FakeEntraAuthority> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var authority = new FakeEntraAuthority(app);
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = authority.Authority.AbsoluteUri.TrimEnd('/'),
            ["jwks_uri"] = new Uri(authority.Authority, "keys").AbsoluteUri,
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/keys", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(authority._key);
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", n = jwk.N, e = jwk.E, alg = "RS256" } } });
        });
        await app.StartAsync();
        authority.Authority = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return authority;
    }

    /// <summary>A token for <paramref name="audience"/>, signed by this authority (or by a stranger's key).</summary>
    public string CreateToken(string audience, bool forged = false)
    {
        var key = forged ? new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" } : _key;
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority.AbsoluteUri.TrimEnd('/'),
            Audience = audience,
            NotBefore = now.AddMinutes(-1),
            IssuedAt = now.AddMinutes(-1),
            Expires = now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}

using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Arcp.Testing.WebPubSub;

/// <summary>
/// An OpenID Connect authority on loopback (metadata + JWKS with one RSA key) that mints tokens like Entra ID does for
/// a managed identity — to test upstream authentication without Azure. Runs on its own port
/// (<see cref="StartAsync"/>) or under a path of another app (<see cref="Map"/>, used by the Web PubSub stand-in).
/// </summary>
public sealed class FakeEntraAuthority : IAsyncDisposable
{
    /// <summary>The client id tokens name (<c>azp</c>/<c>appid</c>) unless told otherwise.</summary>
    public const string DefaultClientId = "3f1d2c6e-7a44-4c1b-9d0e-5b8f6a2c9e11";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private WebApplication? _app;
    private int _metadataRequests;

    private FakeEntraAuthority()
    {
        _key = new RsaSecurityKey(_rsa) { KeyId = "test-key" };
    }

    /// <summary>The authority URL (issuer).</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>How many times the OpenID metadata was fetched.</summary>
    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    /// <summary>Starts the authority on a free port.</summary>
    public static async Task<FakeEntraAuthority> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var authority = new FakeEntraAuthority { _app = app };
        authority.MapRoutes(app, "");
        await app.StartAsync();
        authority.Authority = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return authority;
    }

    /// <summary>
    /// Serves the authority under <paramref name="prefix"/> of another app; call <see cref="SetAuthority"/> once that
    /// app's address is known.
    /// </summary>
    public static FakeEntraAuthority Map(IEndpointRouteBuilder routes, string prefix)
    {
        var authority = new FakeEntraAuthority();
        authority.MapRoutes(routes, prefix);
        return authority;
    }

    /// <summary>Sets the issuer of a mapped authority (its base URL, ending in <c>/</c>).</summary>
    public void SetAuthority(Uri authority) => Authority = authority;

    /// <summary>
    /// A token for <paramref name="audience"/>, signed by this authority (or by a stranger's key), issued to
    /// <paramref name="clientId"/> — named in <c>appid</c> like a v1 token, or in <c>azp</c> like a v2 token.
    /// </summary>
    public string CreateToken(string audience, bool forged = false, string? clientId = DefaultClientId, bool v1 = false, TimeSpan? lifetime = null)
    {
        var key = forged ? new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" } : _key;
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Authority.AbsoluteUri.TrimEnd('/'),
            Audience = audience,
            NotBefore = now.AddMinutes(-1),
            IssuedAt = now.AddMinutes(-1),
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(10)),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        };
        if (clientId is not null)
        {
            descriptor.Claims = new Dictionary<string, object> { [v1 ? "appid" : "azp"] = clientId };
        }

        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>The <c>azp</c>/<c>appid</c> of a token this authority signed for <paramref name="audience"/>, or null when it is not one.</summary>
    public async Task<string?> ValidateAsync(string token, string audience)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Authority.AbsoluteUri.TrimEnd('/'),
            ValidAudience = audience,
            IssuerSigningKey = _key,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        });
        return !result.IsValid ? null
            : result.Claims.TryGetValue("azp", out var azp) ? azp as string ?? ""
            : result.Claims.TryGetValue("appid", out var appId) ? appId as string ?? ""
            : "";
    }

    private void MapRoutes(IEndpointRouteBuilder routes, string prefix)
    {
        routes.MapGet(prefix + "/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref _metadataRequests);
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = Authority.AbsoluteUri.TrimEnd('/'),
                ["jwks_uri"] = new Uri(Authority, "keys").AbsoluteUri,
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
        });
        routes.MapGet(prefix + "/keys", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(_key);
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", n = jwk.N, e = jwk.E, alg = "RS256" } } });
        });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _rsa.Dispose();
    }
}

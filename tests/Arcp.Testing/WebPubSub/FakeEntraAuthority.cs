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

    /// <summary>The issuer of the shared local tenant (see <see cref="Map"/>).</summary>
    public const string TenantIssuer = "https://login.arcp-stand-in.invalid/00000000-0000-0000-0000-00000000a7c9/v2.0";

    // The signing key of the shared local tenant: a throwaway key that signs nothing outside tests. Fixed so that every
    // stand-in, in every process, is the same tenant — as every Web PubSub instance in Azure trusts the same Entra ID,
    // and a managed-identity token cached by Azure.Identity (its cache is process-wide) stays valid across them.
    private const string TenantKeyPem = """
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCYZMdjqVpTqgds
DnxkJmMTmb+QVKkqrfdcWerWvxb9B++XxWcdPoihu+OQXgtBzIK5GGPLZRb1I9pr
PzacHOuJMwBIGp2VsXVwziennWSBtlYbCdy7kaPlVvM194IlrcaHNGyoAtN0v+kA
DdLUsttzCS1LuOTO2rb6fPUbw5dRuAsk1X6hZz09/Ya8ewpgQoaEfGTadyGeCknG
5Oq5pP5t1Y+r9CdZg8Ffa+PJOcM975oQgoxlsf4YCKgTDaFicJzzfGPx2HH9SOVc
ZE8dmxtSRpWhfrfujsmL2mSVcHDF12jvmFfr+EvFe2x9hH6F4CVVCVQ0RXKH4KxM
bR36DXERAgMBAAECggEADoyooLI9hnlYRg/H/oPPt8JZEL2UfReo4y9OhXwvBK9q
R5I4OwmKX+6hVlo0Nu8AmA1lEbkwDO2EX/LkEtmL/0hYQYoQ+4a60K9OB+m1+9Bd
vi0d3uaTwESh6cgcq95Acw4lRZEngSEFbNTlCRueagg5Q95+MeWdzKJ7gFAXNVz4
KtL1dAfNBy8P7bB3erNa9aI7XbePt9sXgC2u1BMuQb8Emhop0Noutjwa5AWAoOEK
Vi6ji7KPoLRyB3SJsrI8W47ndTUdb+qh6mVC+02N/PkiVCo9MDRe7HMDkhF4ShIV
zi66t/sUpg4CWOLnJaZBKgcZy1G4IQilVgrbr7MZdQKBgQDObx5etSkrxWvQSa2z
DV2msAN9lmZuRzIIvy5Smkpb1rZsBL54Fam0BIdRFe+OcCYgtimbJJNYVNcMmhRV
D1fWvmUcACDJM9xpTBsWbTMeCqXBaLJyhOxvd2nfsj6lFJGJL82mAWWAuYUJDRvH
5CAIhxkk0/RG8t15ooOsikJBGwKBgQC8+/W2SGlk2szpMTNVT+oApMIuQQphx7wX
KfNu7osF5Fs6WwmALBSouuKQKJMhMLslLvBBEG1vVfMu4/DyBHZiOLi6S3Wt5ljk
wwhl4Et11RBEUIFC0R/KHDc9CfBHBs8lakJffHDPAoZ4wnj+8gxs0i61jrvQrk6B
eig3cEClQwKBgHyCOOcWjUaBRI3UYpfkL+AhuXk+BXnuJxdveBkKRl8uGcj884Sq
TDjvok4d1OcsbVK9jEquvNBCG5LWO/0xy+ER5RoGWcABL6ey54OXSYWNFnyZEUhR
M+nnNExfzbjztvPviTHfFcGWI89ZwK/HwCpkkZ3M2UERqtN6WcDvgxaRAoGAfnPp
ecsCGqX9LpvpSVBrt3qHJAQJOlw3kxhS9wtOoual1GpN9SGJwU0rhGJh8Hd3Ae5i
fGbNkw3j5qBG/OnXfOmPUbhkSbQ0Dv4hhGmMlI+4jr1/gIIFz2sJ2yHnUN9RhCuR
terCYQHDkNIvvAeiIL6S2pFjQsMfbKucdVv7JZkCgYEAhdn8uvBzEG+x/dEPVA5Q
vm43x/CDeNzjUCkEx7RhBgpCpSQlTnpor2jTAwrkNjyLb5hI1rW6UDZqs8/P9pdn
ha1Pd+MmlSu/uNktdDrrojY38XibgMtKXceOUhau7lAd3ixFuLGGV5XV803URlAJ
iEF8AGP1cCnDwbj+4tAX3kY=
-----END PRIVATE KEY-----
""";

    // One instance for the process, never disposed: the token handlers cache signature providers by key thumbprint,
    // so a disposed copy of the same key would be found again by the next authority.
    private static readonly Lazy<RSA> s_tenantRsa = new(() =>
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(TenantKeyPem);
        return rsa;
    });

    private readonly RSA? _rsa;
    private readonly RsaSecurityKey _key;
    private readonly string? _issuer;
    private WebApplication? _app;
    private int _metadataRequests;

    private FakeEntraAuthority(bool sharedTenant)
    {
        if (sharedTenant)
        {
            _issuer = TenantIssuer;
            _key = new RsaSecurityKey(s_tenantRsa.Value) { KeyId = "tenant-key" };
        }
        else
        {
            _rsa = RSA.Create(2048);
            _key = new RsaSecurityKey(_rsa) { KeyId = "test-key" };
        }
    }

    /// <summary>The authority URL (where its metadata is).</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>The issuer (<c>iss</c>) of its tokens: the authority URL, or the shared tenant's issuer.</summary>
    public string Issuer => _issuer ?? Authority.AbsoluteUri.TrimEnd('/');

    /// <summary>How many times the OpenID metadata was fetched.</summary>
    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    /// <summary>Starts the authority on a free port.</summary>
    public static async Task<FakeEntraAuthority> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var authority = new FakeEntraAuthority(sharedTenant: false) { _app = app };
        authority.MapRoutes(app, "");
        await app.StartAsync();
        authority.Authority = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return authority;
    }

    /// <summary>
    /// Serves the shared local tenant (fixed issuer and key) under <paramref name="prefix"/> of another app; call
    /// <see cref="SetAuthority"/> once that app's address is known.
    /// </summary>
    public static FakeEntraAuthority Map(IEndpointRouteBuilder routes, string prefix)
    {
        var authority = new FakeEntraAuthority(sharedTenant: true);
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
            Issuer = Issuer,
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
            ValidIssuer = Issuer,
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
                ["issuer"] = Issuer,
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

        _rsa?.Dispose();
    }
}

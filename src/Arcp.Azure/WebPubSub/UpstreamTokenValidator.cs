using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// Checks the bearer token Web PubSub sends with upstream events when the hub authenticates to the app with a managed
/// identity (access keys disabled): an Entra token whose audience is the hub's configured <c>auth.managedIdentity.resource</c>,
/// signed by a key of the authority's OpenID configuration, and issued to one of the configured client ids.
/// </summary>
public sealed class UpstreamTokenValidator
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _configuration;
    private readonly string? _audience;
    private readonly HashSet<string> _clientIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>
    /// Creates the validator; inactive unless <see cref="WebPubSubOptions.UpstreamAudience"/>, an authority and the
    /// upstream client ids are all set.
    /// </summary>
    public UpstreamTokenValidator(IOptions<WebPubSubOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        if (string.IsNullOrEmpty(o.UpstreamAudience) || string.IsNullOrEmpty(o.UpstreamAuthority) || o.UpstreamClients.Count == 0)
        {
            return;
        }

        _audience = o.UpstreamAudience;
        _clientIds.UnionWith(o.UpstreamClients);
        var authority = o.UpstreamAuthority.TrimEnd('/');
        _configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            authority + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase) });
    }

    /// <summary>Whether managed-identity upstream authentication is configured.</summary>
    public bool IsEnabled => _configuration is not null;

    /// <summary>
    /// Fetches the authority's metadata and keys now, so the first <c>connect</c> after a cold start does not wait for
    /// them inside the service's upstream timeout. Throws when the authority cannot be reached.
    /// </summary>
    public async Task WarmAsync(CancellationToken cancellationToken)
    {
        if (_configuration is not null)
        {
            await _configuration.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The authority's issuer, plus — for Entra — the v1 issuer of the same tenant: managed-identity tokens for a
    /// resource without <c>accessTokenAcceptedVersion: 2</c> are issued by <c>https://sts.windows.net/&lt;tenant&gt;/</c>.
    /// </summary>
    private static string[] IssuersOf(string issuer)
    {
        var parts = issuer.TrimEnd('/').Split('/');
        return issuer.Contains("login.microsoftonline.com", StringComparison.OrdinalIgnoreCase) && parts.Length >= 2
            ? [issuer, $"https://sts.windows.net/{parts[^2]}/"]
            : [issuer];
    }

    /// <summary>True when the <c>Authorization</c> header carries a valid token for the configured audience and client.</summary>
    public async Task<bool> ValidateAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        if (_configuration is null || authorizationHeader is null || !authorizationHeader.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var configuration = await _configuration.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        var result = await _handler.ValidateTokenAsync(authorizationHeader["Bearer ".Length..].Trim(), new TokenValidationParameters
        {
            ValidAudience = _audience,
            ValidIssuers = IssuersOf(configuration.Issuer),
            IssuerSigningKeys = configuration.SigningKeys,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
        }).ConfigureAwait(false);
        return result.IsValid && IssuedToAllowedClient(result.Claims);
    }

    // v1 access tokens name the client in appid, v2 in azp.
    private bool IssuedToAllowedClient(IDictionary<string, object> claims) =>
        (claims.TryGetValue("appid", out var appId) && appId is string a && _clientIds.Contains(a))
        || (claims.TryGetValue("azp", out var azp) && azp is string z && _clientIds.Contains(z));
}

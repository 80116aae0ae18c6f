using System.Net;
using System.Net.Http.Headers;
using Arcp.Testing.WebPubSub;

namespace Arcp.Host.Tests.WebPubSub;

/// <summary>
/// With access keys disabled, upstream events must carry the hub's managed-identity token for the configured audience,
/// issued to the configured client; with neither keys nor an audience, every event is refused (fail closed). The
/// abuse-protection handshake answers only the configured service host.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebPubSubUpstreamAuthTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Audience = "api://arcp-upstream";
    private FakeEntraAuthority _entra = null!;
    private ArcpTestHost _withIdentity = null!;
    private ArcpTestHost _unconfigured = null!;

    public async Task InitializeAsync()
    {
        _entra = await FakeEntraAuthority.StartAsync();
        _withIdentity = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, IdentitySettings(_entra, withClientIds: true));
        _unconfigured = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, "--Arcp:WebPubSub:Endpoint=http://127.0.0.1:9");
    }

    public async Task DisposeAsync()
    {
        await _withIdentity.DisposeAsync();
        await _unconfigured.DisposeAsync();
        await _entra.DisposeAsync();
    }

    [Theory]
    [InlineData("valid", HttpStatusCode.NoContent)]
    [InlineData("valid-v1", HttpStatusCode.NoContent)]
    [InlineData("forged", HttpStatusCode.Unauthorized)]
    [InlineData("wrong-audience", HttpStatusCode.Unauthorized)]
    [InlineData("other-client", HttpStatusCode.Unauthorized)]
    [InlineData("other-client-v1", HttpStatusCode.Unauthorized)]
    [InlineData("no-client", HttpStatusCode.Unauthorized)]
    [InlineData("none", HttpStatusCode.Unauthorized)]
    public async Task Connect_ManagedIdentityUpstream_OnlyAValidTokenForTheAudienceAndClientGetsIn(string token, HttpStatusCode expected)
    {
        const string stranger = "0d9c8b7a-6f5e-4d3c-2b1a-000000000001";
        var bearer = token switch
        {
            "valid" => _entra.CreateToken(Audience),
            "valid-v1" => _entra.CreateToken(Audience, v1: true),
            "forged" => _entra.CreateToken(Audience, forged: true),
            "wrong-audience" => _entra.CreateToken("api://someone-else"),
            "other-client" => _entra.CreateToken(Audience, clientId: stranger),
            "other-client-v1" => _entra.CreateToken(Audience, clientId: stranger, v1: true),
            "no-client" => _entra.CreateToken(Audience, clientId: null),
            _ => null,
        };

        var status = await PostConnectAsync(_withIdentity, bearer);

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task Connect_NeitherKeysNorAudienceConfigured_RefusedFailClosed()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await PostConnectAsync(_unconfigured, _entra.CreateToken(Audience)));
    }

    [Fact]
    public async Task Connect_AudienceButNoAllowedClientConfigured_RefusedFailClosed()
    {
        await using var host = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, IdentitySettings(_entra, withClientIds: false));

        Assert.Equal(HttpStatusCode.Unauthorized, await PostConnectAsync(host, _entra.CreateToken(Audience)));
    }

    [Fact]
    public async Task Startup_AuthorityMetadataFetchedBeforeAnyEvent()
    {
        await using var entra = await FakeEntraAuthority.StartAsync();
        await using var host = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, IdentitySettings(entra, withClientIds: true));

        // No event has arrived: only a start-up fetch can have asked for the metadata.
        await Eventually.WaitUntilAsync(() => entra.MetadataRequests > 0, TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.NoContent, await PostConnectAsync(host, entra.CreateToken(Audience)));
    }

    [Theory]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("evil.example.com", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1.evil.example.com", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Forbidden)]
    public async Task Handshake_OnlyTheConfiguredServiceHostIsAllowed(string? origin, HttpStatusCode expected)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(_withIdentity.Address, "/api/webpubsub"));
        if (origin is not null)
        {
            request.Headers.Add("WebHook-Request-Origin", origin);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        var allowed = response.Headers.TryGetValues("WebHook-Allowed-Origin", out var values) ? values.Single() : null;
        Assert.Equal(expected == HttpStatusCode.OK ? origin : null, allowed);
    }

    private static string[] IdentitySettings(FakeEntraAuthority entra, bool withClientIds)
    {
        var settings = new List<string>
        {
            "--Arcp:WebPubSub:Endpoint=http://127.0.0.1:9",
            $"--Arcp:WebPubSub:UpstreamAudience={Audience}",
            $"--Arcp:WebPubSub:UpstreamAuthority={entra.Authority.AbsoluteUri.TrimEnd('/')}",
        };
        if (withClientIds)
        {
            settings.Add($"--Arcp:WebPubSub:UpstreamClientIds=11111111-2222-3333-4444-555555555555; {FakeEntraAuthority.DefaultClientId}");
        }

        return [.. settings];
    }

    private static async Task<HttpStatusCode> PostConnectAsync(ArcpTestHost host, string? bearer)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Address, "/api/webpubsub")) { Content = new StringContent("{}") };
        request.Headers.Add("ce-connectionId", "c1");
        request.Headers.Add("ce-eventName", "connect");
        request.Headers.Add("ce-userId", "alice");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}

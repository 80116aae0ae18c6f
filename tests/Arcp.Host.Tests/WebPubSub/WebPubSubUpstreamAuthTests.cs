using System.Net;
using System.Net.Http.Headers;
using Arcp.Testing.WebPubSub;

namespace Arcp.Host.Tests.WebPubSub;

/// <summary>
/// With access keys disabled, upstream events must carry the hub's managed-identity token for the configured audience;
/// with neither keys nor an audience, every event is refused (fail closed).
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
        _withIdentity = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, "--Arcp:WebPubSub:Endpoint=http://127.0.0.1:9", $"--Arcp:WebPubSub:UpstreamAudience={Audience}", $"--Arcp:WebPubSub:UpstreamAuthority={_entra.Authority.AbsoluteUri.TrimEnd('/')}");
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
    [InlineData("forged", HttpStatusCode.Unauthorized)]
    [InlineData("wrong-audience", HttpStatusCode.Unauthorized)]
    [InlineData("none", HttpStatusCode.Unauthorized)]
    public async Task Connect_ManagedIdentityUpstream_OnlyAValidTokenForTheAudienceGetsIn(string token, HttpStatusCode expected)
    {
        var bearer = token switch
        {
            "valid" => _entra.CreateToken(Audience),
            "forged" => _entra.CreateToken(Audience, forged: true),
            "wrong-audience" => _entra.CreateToken("api://someone-else"),
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

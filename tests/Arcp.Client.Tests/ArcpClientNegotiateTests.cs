using System.Text.Json;
using Arcp.Client.Errors;
using Arcp.Protocol.Errors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Client.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class ArcpClientNegotiateTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, services => services.AddSingleton<IStartupFilter, NegotiateEndpoint>());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ConnectAsync_NegotiateUrl_ConnectsToReturnedWebSocket()
    {
        var options = ClientHost.Options(_host, NegotiateEndpoint.Token);
        options.Url = new Uri(_host.Address, "/negotiate");

        await using var client = await ArcpClient.ConnectAsync(options);
        var job = await client.SubmitAsync("echo", JsonSerializer.SerializeToElement("negotiated"));

        Assert.Equal("negotiated", (await job.GetResultAsync()).Result!.Value.GetString());
    }

    [Fact]
    public async Task ConnectAsync_NegotiateRefusesToken_ThrowsUnauthenticated()
    {
        var options = ClientHost.Options(_host, "tok-bob");
        options.Url = new Uri(_host.Address, "/negotiate");

        var error = await Assert.ThrowsAsync<ArcpErrorException>(() => ArcpClient.ConnectAsync(options));

        Assert.Equal(ErrorCode.Unauthenticated, error.Code);
    }
}

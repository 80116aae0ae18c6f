using System.Net;
using System.Text;
using System.Text.Json;
using Arcp.Host.Sessions;
using Arcp.Runtime.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Host.Tests.Sessions;

/// <summary>§14: credentials only over authenticated, encrypted transports (loopback counts: it never leaves the machine).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TransportSecurityTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("https", "203.0.113.7", true)]
    [InlineData("http", "203.0.113.7", false)]
    [InlineData("http", "10.1.2.3", false)]
    [InlineData("http", "127.0.0.1", true)]
    [InlineData("http", "::1", true)]
    public void IsSecure_SchemeAndRemoteAddress(string scheme, string remote, bool secure)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);

        Assert.Equal(secure, TransportSecurity.IsSecure(context));
    }

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(false, false, false)]
    [InlineData(false, true, true)]
    public async Task Hello_ProvisionedCredentialsOfferedOnlyOverASecureTransportUnlessAllowed(bool secureTransport, bool allowInsecure, bool offered)
    {
        await using var host = await ArcpTestHost.StartAsync(
            azurite.ConnectionString,
            null,
            "--Arcp:Credentials:Endpoint=https://gateway.test/v1",
            $"--Arcp:Credentials:AllowInsecureTransport={allowInsecure}");
        var sessions = host.Services.GetRequiredService<SessionService>();
        var output = new RecordingOutput();
        var connection = sessions.Open("test:" + Guid.NewGuid().ToString("N"), output, secureTransport);

        await sessions.HandleFrameAsync(connection, Encoding.UTF8.GetBytes("""
            {"arcp":"1.1","id":"msg_h1","type":"session.hello","payload":{"client":{"name":"t","version":"1"},"auth":{"scheme":"bearer","token":"tok-alice"},"capabilities":{"features":["progress","provisioned_credentials"]}}}
            """), CancellationToken.None);

        using var welcome = JsonDocument.Parse(Assert.Single(output.Frames));
        Assert.Equal("session.welcome", welcome.RootElement.GetProperty("type").GetString());
        var features = welcome.RootElement.GetProperty("payload").GetProperty("capabilities").GetProperty("features").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Contains("progress", features);
        Assert.Equal(offered, features.Contains("provisioned_credentials"));
    }

    private sealed class RecordingOutput : ISessionOutput
    {
        public List<byte[]> Frames { get; } = [];

        public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
        {
            Frames.Add(frame.ToArray());
            return ValueTask.CompletedTask;
        }

        public ValueTask CloseAsync(string reason, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}

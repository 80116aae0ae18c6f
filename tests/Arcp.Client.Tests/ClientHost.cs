using Arcp.Agents.Sdk;

namespace Arcp.Client.Tests;

/// <summary>The in-process host with the test agents, and clients connected to it.</summary>
internal static class ClientHost
{
    public static Task<ArcpTestHost> StartAsync(AzuriteFixture azurite, params string[] settings) =>
        ArcpTestHost.StartAsync(azurite.ConnectionString, null, services => services.AddArcpAgent<StreamingAgent>(StreamingAgent.Name, "1.0.0", isDefault: true), settings);

    public static ArcpClientOptions Options(ArcpTestHost host, string token = "tok-alice") => new()
    {
        Url = host.ArcpUri,
        Token = token,
        ClientName = "client-tests",
        Reconnect = new ArcpReconnectPolicy(InitialDelay: TimeSpan.FromMilliseconds(50), MaxDelay: TimeSpan.FromMilliseconds(500)),
    };

    public static Task<ArcpClient> ConnectAsync(ArcpTestHost host, string token = "tok-alice") =>
        ArcpClient.ConnectAsync(Options(host, token));
}

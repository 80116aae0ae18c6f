using Arcp.Host;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Testing;

/// <summary>
/// The real host (Kestrel on a loopback port, the same composition as the run command) inside the test process, on
/// its own tables of the shared Azurite, so tests can also look at storage directly.
/// </summary>
public sealed class ArcpTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ArcpTestHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public Uri ArcpUri => new($"ws://{Address.Authority}/arcp");

    public IServiceProvider Services => _app.Services;

    public IJobStore Jobs => Services.GetRequiredService<IJobStore>();

    public ISessionStore Sessions => Services.GetRequiredService<ISessionStore>();

    /// <summary>Every open server-side connection; <see cref="AbortConnections"/> drops them from the server end.</summary>
    public ServerConnections Connections => Services.GetRequiredService<ServerConnections>();

    public static Task<ArcpTestHost> StartAsync(string storage, string? tablePrefix = null, params string[] settings) =>
        StartAsync(storage, tablePrefix, configureServices: null, settings);

    /// <summary>Starts the host; <paramref name="configureServices"/> adds registrations (e.g. test agents) after the standard ones.</summary>
    public static async Task<ArcpTestHost> StartAsync(string storage, string? tablePrefix, Action<IServiceCollection>? configureServices, params string[] settings)
    {
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            $"--AzureWebJobsStorage={storage}",
            $"--Arcp:Storage:TablePrefix={tablePrefix ?? "h" + Guid.NewGuid().ToString("N")[..10]}",
            "--Arcp:Auth:Tokens:tok-alice=alice",
            "--Arcp:Auth:Tokens:tok-alice-2=alice",
            "--Arcp:Auth:Tokens:tok-bob=bob",
            "--Arcp:Sessions:DeliveryPollInterval=00:00:00.100",
            "--Logging:LogLevel:Default=Warning",
        };
        args.AddRange(settings);
        var app = ArcpHostApplication.Build([.. args], services =>
        {
            services.AddSingleton<ServerConnections>();
            services.AddSingleton<IStartupFilter, ServerConnections.Filter>();
            configureServices?.Invoke(services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new ArcpTestHost(app, new Uri(address));
        await host.WaitHealthyAsync();
        return host;
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = Address };
        for (var i = 0; i < 100; i++)
        {
            using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                // Tables are created by a start-up service; give it a moment after storage answers.
                await Task.Delay(100);
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("test host never became healthy");
    }

    /// <summary>Aborts every open connection from the server side (a TCP reset, no close handshake); returns how many.</summary>
    public int AbortConnections() => Connections.AbortAll();

    public async Task<ArcpTestClient> ConnectAsync() => await ArcpTestClient.ConnectAsync(ArcpUri);

    /// <summary>
    /// As a client reaches the Azure path: <c>GET /api/negotiate</c> on this host with <paramref name="token"/>, then a
    /// WebSocket to the URL it answered (the Web PubSub service, or its stand-in). <paramref name="explain"/> adds to
    /// the failure message when negotiate refuses.
    /// </summary>
    public async Task<ArcpTestClient> ConnectThroughWebPubSubAsync(string token, Func<string>? explain = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Address, "/api/negotiate"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"negotiate answered {(int)response.StatusCode}. {explain?.Invoke()}");
        }

        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return await ArcpTestClient.ConnectAsync(new Uri(document.RootElement.GetProperty("url").GetString()!));
    }

    /// <summary>Connects and completes a hello; returns the client and the welcome payload.</summary>
    public async Task<(ArcpTestClient Client, System.Text.Json.JsonElement Welcome)> OpenSessionAsync(string token = "tok-alice", params string[] features)
    {
        var client = await ConnectAsync();
        var welcome = await client.HelloAsync(token, features.Length == 0 ? ArcpTestClient.AllFeatures : features);
        return (client, welcome);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

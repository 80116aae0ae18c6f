using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Arcp.Azure.WebPubSub;
using Arcp.Runtime.Delivery;
using Arcp.Testing.WebPubSub;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Host.Tests.WebPubSub;

/// <summary>
/// Two hosts on the same storage behind one Web PubSub stand-in (upstream to the first), each with a
/// <see cref="SlowConnectionHub"/> around its real REST client: the shape of a scaled-out Functions app.
/// </summary>
internal sealed class WebPubSubTwoNodes : IAsyncDisposable
{
    private WebPubSubTwoNodes(WebPubSubStandIn service, ArcpTestHost first, ArcpTestHost second, SlowConnectionHub firstHub, SlowConnectionHub secondHub)
    {
        Service = service;
        First = first;
        Second = second;
        FirstHub = firstHub;
        SecondHub = secondHub;
    }

    public WebPubSubStandIn Service { get; }

    public ArcpTestHost First { get; }

    public ArcpTestHost Second { get; }

    public SlowConnectionHub FirstHub { get; }

    public SlowConnectionHub SecondHub { get; }

    public static async Task<WebPubSubTwoNodes> StartAsync(string storage, params string[] settings)
    {
        var service = await WebPubSubStandIn.StartAsync();
        var prefix = "w" + Guid.NewGuid().ToString("N")[..10];
        string[] all = [$"--Arcp:WebPubSub:Endpoint={service.Endpoint}", $"--Arcp:WebPubSub:AccessKeys={service.AccessKey}", .. settings];
        var firstHub = new SlowConnectionHub();
        var secondHub = new SlowConnectionHub();
        var first = await ArcpTestHost.StartAsync(storage, prefix, s => s.AddSingleton<IConnectionHub>(sp => firstHub.Wrap(sp.GetRequiredService<WebPubSubServiceClient>())), all);
        var second = await ArcpTestHost.StartAsync(storage, prefix, s => s.AddSingleton<IConnectionHub>(sp => secondHub.Wrap(sp.GetRequiredService<WebPubSubServiceClient>())), all);
        service.UpstreamUrl = new Uri(first.Address, "/api/webpubsub");
        return new WebPubSubTwoNodes(service, first, second, firstHub, secondHub);
    }

    /// <summary>Sets the event latency of both nodes.</summary>
    public void SetEventLatency(TimeSpan latency) => FirstHub.EventLatency = SecondHub.EventLatency = latency;

    public int EventSendsTo(string connectionId) => FirstHub.EventSendsTo(connectionId) + SecondHub.EventSendsTo(connectionId);

    /// <summary>negotiate on the first host → a client connected through the stand-in.</summary>
    public Task<ArcpTestClient> ConnectAsync(string token) => First.ConnectThroughWebPubSubAsync(token);

    /// <summary>Posts a signed <c>disconnected</c> event for a connection to <paramref name="host"/>, as the service does.</summary>
    public async Task PostDisconnectedAsync(ArcpTestHost host, string connectionId, string sessionId)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Address, "/api/webpubsub"))
        {
            Content = new StringContent("{\"reason\":\"\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("WebHook-Request-Origin", Service.Endpoint.Host);
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-type", "azure.webpubsub.sys.disconnected");
        request.Headers.Add("ce-source", $"/hubs/{Service.Hub}/client/{connectionId}");
        request.Headers.Add("ce-id", Guid.NewGuid().ToString("N"));
        request.Headers.Add("ce-hub", Service.Hub);
        request.Headers.Add("ce-connectionId", connectionId);
        request.Headers.Add("ce-eventName", "disconnected");
        request.Headers.Add("ce-userId", "alice");
        request.Headers.Add("ce-signature", "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Service.AccessKey), Encoding.UTF8.GetBytes(connectionId))));
        request.Headers.Add("ce-connectionState", Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["sid"] = sessionId }))));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
        await Service.DisposeAsync();
    }
}

using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Arcp.Testing;
using Arcp.Testing.Faults;
using Arcp.Testing.WebPubSub;
using static Arcp.Benchmarks.Measurements;

namespace Arcp.Benchmarks.Cost;

/// <summary>
/// Storage transactions per minute of a deployment that does nothing: one host with no job and no session, then the
/// same host holding many idle connected sessions (hello and nothing more), first on direct WebSockets, then through the
/// Web PubSub stand-in. Counted at the loopback
/// proxy in front of the storage, ours and Durable's apart, as the cost suite counts.
/// </summary>
internal sealed class IdleDeploymentBenchmarks(string connectionString, TextWriter output)
{
    public async Task RunAsync(int sessions, TimeSpan window, TimeSpan settle)
    {
        await using var service = await WebPubSubStandIn.StartAsync();
        await using var counted = await CountedBenchHost.StartAsync(connectionString, new Dictionary<string, string>
        {
            ["Arcp__WebPubSub__Endpoint"] = service.Endpoint.AbsoluteUri,
            ["Arcp__WebPubSub__AccessKeys"] = service.AccessKey,
        });
        var (traffic, host, endpoint) = (counted.Traffic, counted.Host, counted.Endpoint);
        service.UpstreamUrl = new Uri(host.BaseAddress, "/api/webpubsub");

        // Start-up work (tables, the first sweeps, the daily sweep-index scans) is not what an idle deployment pays.
        await Task.Delay(settle);
        var empty = await MeasureAsync(traffic, window);
        var (direct, directOpened) = await HoldAsync(sessions, () => Task.FromResult(endpoint), traffic, window, settle);

        // The direct sessions detached when their sockets closed; let their detaches and the retention sweep pass.
        await Task.Delay(settle);
        var (relayed, relayedOpened) = await HoldAsync(sessions, () => SessionBenchmarks.NegotiateAsync(host.BaseAddress), traffic, window, settle);

        output.WriteLine($"Window {window.TotalSeconds:0} s after {settle.TotalSeconds:0} s of settling; {sessions:N0} sessions opened in {directOpened.TotalSeconds:0.0} s directly and {relayedOpened.TotalSeconds:0.0} s through the Web PubSub stand-in; sessions negotiate no features (no heartbeat); load average {Measurements.LoadAverage()}.");
        output.WriteLine();
        output.WriteLine("| Deployment (per minute) | our requests | our Tables / Blobs | Durable requests | Durable Tables / Queues / Blobs | all |");
        output.WriteLine("|---|---|---|---|---|---|");
        Row("idle, 0 jobs, 0 sessions", empty, window);
        Row($"idle, 0 jobs, {sessions:N0} idle sessions on direct WebSockets", direct, window);
        Row($"idle, 0 jobs, {sessions:N0} idle sessions through Web PubSub", relayed, window);
        output.WriteLine();
        output.WriteLine("Our requests by operation (per minute):");
        output.WriteLine();
        output.WriteLine($"| Operation | 0 sessions | {sessions:N0} direct | {sessions:N0} Web PubSub |");
        output.WriteLine("|---|---|---|---|");
        TrafficSnapshot[] all = [empty, direct, relayed];
        foreach (var key in all.SelectMany(s => s.Operations.Keys).Where(k => k.Owner == StorageOwner.Arcp).Select(k => k.Key).Distinct().Order(StringComparer.Ordinal))
        {
            output.WriteLine($"| {key} | " + string.Join(" | ", all.Select(s => F(PerMinute(ByKey(s, key), window), 1))) + " |");
        }
    }

    /// <summary>Opens <paramref name="sessions"/> idle sessions, measures the window past the delivery poll's ramp, then closes them.</summary>
    private static async Task<(TrafficSnapshot Held, TimeSpan Opened)> HoldAsync(int sessions, Func<Task<Uri>> connectTo, StorageTraffic traffic, TimeSpan window, TimeSpan settle)
    {
        var open = new List<ClientWebSocket>(sessions);
        try
        {
            var opening = Stopwatch.StartNew();
            for (var i = 0; i < sessions; i++)
            {
                open.Add(await HelloAsync(await connectTo()));
            }

            var opened = opening.Elapsed;
            await Task.Delay(settle);
            return (await MeasureAsync(traffic, window), opened);
        }
        finally
        {
            foreach (var socket in open)
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }

    private void Row(string name, TrafficSnapshot delta, TimeSpan window)
    {
        double M(long count) => PerMinute(count, window);
        output.WriteLine($"| {name} | {F(M(delta.Requests(StorageOwner.Arcp)), 1)} | {F(M(delta.Requests(StorageOwner.Arcp, StorageService.Table)), 1)} / {F(M(delta.Requests(StorageOwner.Arcp, StorageService.Blob)), 1)} | {F(M(delta.Requests(StorageOwner.Durable)), 1)} | {F(M(delta.Requests(StorageOwner.Durable, StorageService.Table)), 1)} / {F(M(delta.Requests(StorageOwner.Durable, StorageService.Queue)), 1)} / {F(M(delta.Requests(StorageOwner.Durable, StorageService.Blob)), 1)} | {F(M(delta.Requests(StorageOwner.Arcp) + delta.Requests(StorageOwner.Durable)), 1)} |");
    }

    private static long ByKey(TrafficSnapshot delta, string key) => delta.Operations.Where(p => p.Key.Key == key).Sum(p => p.Value.Requests);

    private static double PerMinute(long count, TimeSpan window) => count / window.TotalMinutes;

    private static async Task<TrafficSnapshot> MeasureAsync(StorageTraffic traffic, TimeSpan window)
    {
        var before = traffic.Snapshot();
        await Task.Delay(window);
        return traffic.Snapshot().Since(before);
    }

    /// <summary>A bare connection that says hello and then nothing: a small buffer, since only the welcome comes back.</summary>
    private static async Task<ClientWebSocket> HelloAsync(Uri endpoint)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(endpoint, CancellationToken.None);
        var hello = "{\"arcp\":\"1.1\",\"id\":\"msg_" + Guid.NewGuid().ToString("N") + "\",\"type\":\"session.hello\",\"payload\":{\"client\":{\"name\":\"bench\",\"version\":\"1\"},\"auth\":{\"scheme\":\"bearer\",\"token\":\"" + ArcpWireClient.DefaultToken + "\"},\"capabilities\":{\"features\":[]}}}";
        await socket.SendAsync(Encoding.UTF8.GetBytes(hello), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[16 * 1024];
        var text = new StringBuilder();
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            text.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
        }
        while (!received.EndOfMessage);

        return text.ToString().Contains("\"session.welcome\"", StringComparison.Ordinal)
            ? socket
            : throw new InvalidOperationException($"No welcome ({received.MessageType} {socket.CloseStatus} {socket.CloseStatusDescription}): {text}");
    }
}

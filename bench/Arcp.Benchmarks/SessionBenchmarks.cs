using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arcp.Testing;
using Arcp.Testing.WebPubSub;
using static Arcp.Benchmarks.Measurements;

namespace Arcp.Benchmarks;

/// <summary>
/// Sessions against a real <c>Arcp.Host</c> process (Durable Task workers, Azure Tables on Azurite): handshake and
/// submit latency, delivery and replay rates, idle-connection memory, and the Web PubSub path through the local
/// stand-in compared with the direct WebSocket in the same run.
/// </summary>
internal sealed class SessionBenchmarks(string connectionString, TextWriter output)
{
    private const string Token = ArcpWireClient.DefaultToken;

    /// <summary><c>echo</c> jobs/s measured by the last run.</summary>
    public double EchoJobsPerSecond { get; private set; }

    /// <summary>Accepted → first event p50 of the last run (ms).</summary>
    public double AcceptedToFirstEventP50 { get; private set; }

    public async Task RunAsync(int events)
    {
        await using var service = await WebPubSubStandIn.StartAsync();
        var workDir = Directory.CreateTempSubdirectory("arcp-bench-");
        await using var host = HostProcess.Start(workDir.FullName, new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["Arcp__Storage__TablePrefix"] = "s" + Guid.NewGuid().ToString("N")[..10],
            ["Arcp__Durable__TaskHubName"] = "bench" + Guid.NewGuid().ToString("N")[..10],
            ["Arcp__Auth__Tokens__" + Token] = "bench",
            ["Arcp__Sessions__MaxSessionsPerPrincipal"] = "5000",
            ["Arcp__Sessions__MaxInboundPerSecond"] = "100000",
            ["Arcp__WebPubSub__Endpoint"] = service.Endpoint.AbsoluteUri,
            ["Arcp__WebPubSub__AccessKeys"] = service.AccessKey,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        using (await host.WaitHealthyAsync(TimeSpan.FromSeconds(120)))
        {
        }

        service.UpstreamUrl = new Uri(host.BaseAddress, "/api/webpubsub");
        var arcp = new Uri($"ws://{host.BaseAddress.Authority}/arcp");
        output.WriteLine("| Measurement | Result |");
        output.WriteLine("|---|---|");

        var hello = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            var watch = Stopwatch.StartNew();
            await using var client = await ArcpWireClient.ConnectAsync(arcp);
            await client.HelloAsync(null);
            hello.Add(watch.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"| connect + hello → welcome (100 sessions, sequential) | p50 {F(hello.Percentile(50))} ms, p99 {F(hello.Percentile(99))} ms |");

        await using (var client = await ArcpWireClient.ConnectAsync(arcp))
        {
            await client.HelloAsync(null);
            await client.RunJobAsync("echo", "0");
            var submits = new List<double>();
            var firstEvents = new List<double>();
            for (var i = 0; i < 100; i++)
            {
                var (accepted, first) = await client.RunJobAsync("countdown", """{"steps":1,"interval_ms":0}""");
                submits.Add(accepted);
                firstEvents.Add(first);
            }

            output.WriteLine($"| submit → `job.accepted` (100 jobs, sequential) | p50 {F(submits.Percentile(50))} ms, p99 {F(submits.Percentile(99))} ms |");
            output.WriteLine($"| `job.accepted` → first event delivered | p50 {F(firstEvents.Percentile(50))} ms, p99 {F(firstEvents.Percentile(99))} ms |");
            AcceptedToFirstEventP50 = firstEvents.Percentile(50);
        }

        await using (var client = await ArcpWireClient.ConnectAsync(arcp))
        {
            await client.HelloAsync(null);
            const int echoJobs = 100;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < echoJobs; i++)
            {
                await client.SendAsync("job.submit", new JsonObject { ["agent"] = "echo", ["input"] = i });
            }

            var done = 0;
            while (done < echoJobs)
            {
                var type = (await client.ReceiveAsync()).GetProperty("type").GetString();
                done += ArcpWireClient.IsTerminal(type) ? 1 : 0;
            }

            EchoJobsPerSecond = echoJobs / watch.Elapsed.TotalSeconds;
            output.WriteLine($"| `echo` jobs end to end, 1 host process (100 submitted at once over one session) | {F(EchoJobsPerSecond)} jobs/s |");
        }

        var (direct1, replay) = await DeliveryAsync(await ArcpWireClient.ConnectAsync(arcp), jobs: 1, events, arcp);
        output.WriteLine($"| events/s delivered to one client, 1 `burst` job of {events:N0} | {F(direct1, 0)} events/s |");
        output.WriteLine($"| replay on resume of {events:N0} events | {F(replay, 0)} events/s |");
        var (direct8, _) = await DeliveryAsync(await ArcpWireClient.ConnectAsync(arcp), jobs: 8, events, null);
        output.WriteLine($"| events/s delivered to one client, 8 `burst` jobs, {events:N0} events in all | {F(direct8, 0)} events/s |");

        var relayEvents = Math.Min(events, 5_000);
        var sendsBefore = service.RestSends;
        var (relayed, _) = await DeliveryAsync(await ArcpWireClient.ConnectAsync(await NegotiateAsync(host.BaseAddress)), jobs: 1, relayEvents, null);
        var sends = service.RestSends - sendsBefore;
        var (directSame, _) = await DeliveryAsync(await ArcpWireClient.ConnectAsync(arcp), jobs: 1, relayEvents, null);
        output.WriteLine($"| Web PubSub path (stand-in) vs direct WebSocket, 1 job of {relayEvents:N0} events | {F(relayed, 0)} vs {F(directSame, 0)} events/s (ratio {F(relayed / directSame, 2)}); {F((double)sends / (relayEvents + 3), 2)} REST calls per delivered frame |");

        var before = host.ResidentMemoryBytes();
        var idle = new List<ArcpWireClient>();
        for (var i = 0; i < 1000; i++)
        {
            var client = await ArcpWireClient.ConnectAsync(arcp);
            await client.HelloAsync(null);
            idle.Add(client);
        }

        await Task.Delay(2000);
        var after = host.ResidentMemoryBytes();
        output.WriteLine($"| host RSS with 1,000 idle connected sessions | {after / 1024 / 1024} MiB ({F((after - before) / 1000.0 / 1024, 1)} KiB per session over the {before / 1024 / 1024} MiB before) |");
        foreach (var client in idle)
        {
            await client.DisposeAsync();
        }

        workDir.Delete(recursive: true);
    }

    /// <summary>The client URL the host's <c>/api/negotiate</c> hands out (on the Web PubSub service).</summary>
    internal static async Task<Uri> NegotiateAsync(Uri host)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host, "/api/negotiate"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new Uri(document.RootElement.GetProperty("url").GetString()!);
    }

    /// <summary>Events/s from submit to the last terminal frame; then, if <paramref name="resumeAt"/> is given, replay speed of the whole session.</summary>
    private static async Task<(double Delivered, double Replay)> DeliveryAsync(ArcpWireClient client, int jobs, int events, Uri? resumeAt)
    {
        var welcome = await client.HelloAsync(null);
        var watch = Stopwatch.StartNew();
        var received = await Workloads.SubmitBurstsAsync(client, jobs, events);

        var delivered = received / watch.Elapsed.TotalSeconds;
        await client.DisposeAsync();
        if (resumeAt is null)
        {
            return (delivered, 0);
        }

        await using var resumed = await ArcpWireClient.ConnectAsync(resumeAt);
        watch.Restart();
        await resumed.HelloAsync(new { session_id = welcome.GetProperty("session_id").GetString(), resume_token = welcome.GetProperty("payload").GetProperty("resume_token").GetString(), last_event_seq = 0 });
        long replayed = 0;
        while (replayed < received)
        {
            var frame = await resumed.ReceiveAsync();
            replayed += frame.TryGetProperty("event_seq", out _) ? 1 : 0;
        }

        return (delivered, replayed / watch.Elapsed.TotalSeconds);
    }
}

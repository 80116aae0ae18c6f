using System.Diagnostics;
using Arcp.Benchmarks.Cost;
using Arcp.Testing.Faults;
using Arcp.Testing.WebPubSub;
using static Arcp.Benchmarks.Measurements;

namespace Arcp.Benchmarks.WebPubSub;

/// <summary>
/// The Web PubSub path against the direct WebSocket on one <c>Arcp.Host</c> process: clients reach the host through
/// the local Web PubSub stand-in (upstream CloudEvents in, one REST send per frame out) with 0, 5 and 20 ms added to
/// every REST answer, and directly, alternating in the same run. Storage requests are counted at a loopback proxy
/// in front of the storage, as in the <c>cost</c> suite.
/// </summary>
internal sealed class WebPubSubBenchmarks(string connectionString, TextWriter output)
{
    private const string Token = ArcpWireClient.DefaultToken;
    private const string Direct = "direct WebSocket";
    private const int SequentialJobs = 20;
    private const int EchoJobs = 40;
    private const int InFlight = 8;

    /// <summary>REST latencies measured (ms), and the <c>burst</c> size at each: one REST send per frame, in order, bounds the rate.</summary>
    private static readonly (int LatencyMs, int Events)[] s_latencies = [(0, 2_000), (5, 600), (20, 250)];

    public async Task<IReadOnlyList<PathMeasurement>> RunAsync(int rounds)
    {
        var prefix = BenchHost.Name('w');
        var hub = BenchHost.Name('h');
        var traffic = new StorageTraffic(new StorageRequestClassifier(prefix, hub));
        await using var proxy = await StorageFaultProxy.StartAsync(connectionString, new FaultSchedule(new FaultScheduleOptions()));
        proxy.Observer = traffic.Observe;
        await using var service = await WebPubSubStandIn.StartAsync();
        var (host, endpoint, workDir) = await BenchHost.StartAsync(proxy.ConnectionString, prefix, hub, new Dictionary<string, string>
        {
            ["Arcp__WebPubSub__Endpoint"] = service.Endpoint.AbsoluteUri,
            ["Arcp__WebPubSub__AccessKeys"] = service.AccessKey,
        });
        await using (host)
        {
            service.UpstreamUrl = new Uri(host.BaseAddress, "/api/webpubsub");
            var paths = new List<(string Name, TimeSpan Latency, int Events, Func<Task<Uri>> Connect)>
            {
                (Direct, TimeSpan.Zero, s_latencies[0].Events, () => Task.FromResult(endpoint)),
            };
            paths.AddRange(s_latencies.Select(l => ($"Web PubSub, REST +{l.LatencyMs} ms", TimeSpan.FromMilliseconds(l.LatencyMs), l.Events, (Func<Task<Uri>>)(() => SessionBenchmarks.NegotiateAsync(host.BaseAddress)))));

            // Warm-up on both paths: tables, JIT, Durable's pollers, the stand-in's upstream handshake.
            await Workloads.EchoAsync(endpoint, Token, 10, InFlight);
            await Workloads.EchoAsync(await SessionBenchmarks.NegotiateAsync(host.BaseAddress), Token, 10, InFlight);

            var results = new List<PathMeasurement>();
            for (var round = 0; round < rounds; round++)
            {
                // Alternate the order so a drift in the machine's load does not favour one end of the list.
                foreach (var (name, latency, events, connect) in round % 2 == 0 ? paths : Enumerable.Reverse(paths))
                {
                    service.RestLatency = latency;
                    var measured = await MeasureAsync(name, events, connect, traffic, service);
                    results.Add(measured);
                    output.WriteLine($"<!-- round {round + 1}: {name}: p50 {F(measured.SubmitToAcceptedP50)} ms, {F(measured.EchoJobsPerSecond)} jobs/s, {F(measured.BurstEventsPerSecond, 0)} events/s, {F(measured.OurRequestsPerEchoJob)} + {F(measured.DurableRequestsPerEchoJob)} requests per job -->");
                }
            }

            service.RestLatency = TimeSpan.Zero;
            workDir.Delete(recursive: true);
            return results;
        }
    }

    private static async Task<PathMeasurement> MeasureAsync(string name, int events, Func<Task<Uri>> connect, StorageTraffic traffic, WebPubSubStandIn service)
    {
        List<double> accepted;
        await using (var client = await ArcpWireClient.ConnectAsync(await connect(), Token))
        {
            await client.HelloAsync(null);
            await client.RunJobAsync("echo", "0");
            accepted = [];
            for (var i = 0; i < SequentialJobs; i++)
            {
                accepted.Add((await client.RunJobAsync("echo", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).Accepted);
            }
        }

        var uri = await connect();
        var before = traffic.Snapshot();
        var restBefore = service.RestCalls;
        var echoRate = await Workloads.EchoAsync(uri, Token, EchoJobs, InFlight);

        // Requests still in flight when the last result arrived (the terminal commit, Durable's completion) belong to the run.
        await Task.Delay(1_000);
        var delta = traffic.Snapshot().Since(before);
        var restCalls = service.RestCalls - restBefore;

        double burstRate;
        await using (var client = await ArcpWireClient.ConnectAsync(await connect(), Token))
        {
            await client.HelloAsync(null);
            var watch = Stopwatch.StartNew();
            var received = await Workloads.SubmitBurstsAsync(client, 1, events);
            burstRate = received / watch.Elapsed.TotalSeconds;
        }

        return new PathMeasurement(
            name,
            accepted.Percentile(50),
            accepted.Percentile(95),
            echoRate,
            burstRate,
            events,
            (double)delta.Requests(StorageOwner.Arcp) / EchoJobs,
            (double)delta.Requests(StorageOwner.Durable) / EchoJobs,
            (double)restCalls / EchoJobs)
        {
            OperationsPerEchoJob = delta.Operations.Where(p => p.Key.Owner == StorageOwner.Arcp).GroupBy(p => p.Key.Key).ToDictionary(g => g.Key, g => (double)g.Sum(p => p.Value.Requests) / EchoJobs),
        };
    }

    /// <summary>Prints the medians of the rounds with their ratios to the direct path.</summary>
    public void Print(IReadOnlyList<PathMeasurement> results, int rounds, double loadBefore, double loadAfter)
    {
        var medians = PathTable.Medians(results);
        foreach (var line in PathTable.Render(medians, Direct))
        {
            output.WriteLine(line);
        }

        output.WriteLine();
        foreach (var line in PathTable.RenderOperations(medians, Direct, medians[1].Path, top: 6))
        {
            output.WriteLine(line);
        }

        output.WriteLine();
        output.WriteLine($"Medians of {rounds} rounds (alternating order); {SequentialJobs} sequential `echo` jobs for the latency, {EchoJobs} `echo` jobs {InFlight} in flight on one session, one `burst` job per path; load average {F(loadBefore, 2)} before, {F(loadAfter, 2)} after.");
    }
}

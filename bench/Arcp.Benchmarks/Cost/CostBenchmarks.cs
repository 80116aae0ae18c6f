using System.Diagnostics;
using Arcp.Testing;
using Arcp.Testing.Faults;
using static Arcp.Benchmarks.Measurements;

namespace Arcp.Benchmarks.Cost;

/// <summary>
/// Counts the storage transactions (Tables, Queues, Blobs, by operation; ours and Durable's apart) and the CPU of
/// the host and of the storage emulator per <c>echo</c> job, per 1,000 streamed events and per session. The host
/// talks to storage through a loopback proxy that sees every request of the host process, Durable's included.
/// </summary>
internal sealed class CostBenchmarks(string connectionString, int? storageProcessId, TextWriter output)
{
    public async Task<CostReport> RunAsync(int events)
    {
        await using var counted = await CountedBenchHost.StartAsync(connectionString);
        var (traffic, host, endpoint) = (counted.Traffic, counted.Host, counted.Endpoint);
        const string token = ArcpWireClient.DefaultToken;
        var meter = new Meter(traffic, host.ProcessId, storageProcessId);

        // Warm-up: first jobs create tables, JIT the paths and wake Durable's pollers.
        await Workloads.EchoAsync(endpoint, token, 10, 8);
        await Workloads.BurstAsync(endpoint, token, 1, 2_000);
        await Task.Delay(2_000);
        await SettleAsync(traffic);

        // Two windows, the quieter kept: the background is the floor, and a one-off (the daily sweep index scan
        // after start, which writes a row per finished job) may land in either window.
        var idle = new[]
        {
            await meter.MeasureAsync("idle node", "second", async () => { await Task.Delay(8_000); return 8; }),
            await meter.MeasureAsync("idle node", "second", async () => { await Task.Delay(8_000); return 8; }),
        }.MinBy(w => w.ArcpRequests)!;

        var echo = await meter.MeasureAsync("echo, 8 in flight on one session", "job", async () => { await Workloads.EchoAsync(endpoint, token, 200, 8); return 200; });
        var stream1 = await meter.MeasureAsync($"1 burst job × {events:N0} events", "1,000 events", async () => (await Workloads.BurstAsync(endpoint, token, 1, events)).Events / 1000.0);
        var stream8 = await meter.MeasureAsync($"8 burst jobs, {events:N0} events, one session", "1,000 events", async () => (await Workloads.BurstAsync(endpoint, token, 8, events)).Events / 1000.0);
        var sessions = await meter.MeasureAsync("connect + hello + close", "session", async () => { await Workloads.SessionsAsync(endpoint, token, 200); return 200; });

        // Jobs held in flight 3 s and 15 s: the difference is what in-flight time costs, per job-second.
        var heldShort = await meter.MeasureAsync($"{HeldJobs} jobs held {ShortHold.TotalSeconds:0} s", "run", async () => { await Workloads.HoldJobsAsync(endpoint, token, HeldJobs, ShortHold); return 1; });
        await SettleAsync(traffic);
        var heldLong = await meter.MeasureAsync($"{HeldJobs} jobs held {LongHold.TotalSeconds:0} s", "run", async () => { await Workloads.HoldJobsAsync(endpoint, token, HeldJobs, LongHold); return 1; });
        await SettleAsync(traffic);
        var jobSeconds = HeldJobs * (heldLong.Seconds - heldShort.Seconds);
        var inFlight = WorkloadCost.Extra(heldLong, heldShort, idle, jobSeconds, $"a job in flight, its session connected ({HeldJobs} at once)", "job-second");

        const int idleSessions = 200;
        const int holdSeconds = 20;
        var open = new List<ArcpWireClient>();
        for (var i = 0; i < idleSessions; i++)
        {
            var client = await ArcpWireClient.ConnectAsync(endpoint, token);
            await client.HelloAsync(null);
            open.Add(client);
        }

        var held = await meter.MeasureAsync($"{idleSessions} idle connected sessions", "session-second", async () => { await Task.Delay(holdSeconds * 1000); return idleSessions * holdSeconds; });
        // Closing many sessions of one principal at once is a workload of its own (every close takes the session
        // out of the principal's slot row, one conditional write each, retried on conflict); it must end before the
        // mixed run starts, or the mixed run counts it.
        var closing = open.Skip(MixedIdleSessions).ToList();
        var closed = await meter.MeasureAsync($"{closing.Count} sessions of one principal closed at once", "session", async () =>
        {
            foreach (var client in closing)
            {
                await client.DisposeAsync();
            }

            await SettleAsync(traffic);
            return closing.Count;
        });

        var mixed = await MixedAsync(meter, endpoint, token);
        foreach (var client in open.Take(MixedIdleSessions))
        {
            await client.DisposeAsync();
        }

        var report = new CostReport
        {
            Measured = DateTimeOffset.UtcNow,
            Cores = Environment.ProcessorCount,
            Idle = idle,
            Echo = echo,
            StreamOneJob = stream1,
            StreamEightJobs = stream8,
            Sessions = sessions,
            IdleSessions = held.Less(idle),
            InFlight = inFlight,
            BulkClose = closed,
            Mixed = mixed,
            LoadAverage = Measurements.LoadAverage(),
        };
        Print(report);
        return report;
    }

    private const int MixedIdleSessions = 50;
    private const int HeldJobs = 8;
    private static readonly TimeSpan ShortHold = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LongHold = TimeSpan.FromSeconds(15);

    /// <summary>
    /// 60 <c>echo</c> jobs paced at 2/s, one <c>burst</c> job of 5,000 events, 20 sessions opened and closed, and
    /// <see cref="MixedIdleSessions"/> sessions held open, all at once.
    /// </summary>
    private static async Task<MixedRun> MixedAsync(Meter meter, Uri endpoint, string token)
    {
        long events = 0;
        double jobSeconds = 0, streamSeconds = 0;
        var measured = await meter.MeasureAsync("mixed run", "run", async () =>
        {
            var echo = Workloads.PacedEchoAsync(endpoint, token, 60, TimeSpan.FromMilliseconds(500));
            var watch = Stopwatch.StartNew();
            var burst = Workloads.BurstAsync(endpoint, token, 1, 5_000).ContinueWith(t => { streamSeconds = watch.Elapsed.TotalSeconds; return t.Result; }, TaskScheduler.Default);
            await Workloads.SessionsAsync(endpoint, token, 20);
            jobSeconds = await echo;
            events = (await burst).Events;
            return 1;
        });
        return new MixedRun(60, events, 20, MixedIdleSessions, measured.Seconds, measured, jobSeconds, streamSeconds);
    }

    /// <summary>Waits until our storage traffic has stopped for a second (at most a minute): the host has finished what the last workload started.</summary>
    private static async Task SettleAsync(StorageTraffic traffic)
    {
        var deadline = Stopwatch.StartNew();
        var last = traffic.Snapshot().Requests(StorageOwner.Arcp);
        while (deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(1_000);
            var now = traffic.Snapshot().Requests(StorageOwner.Arcp);
            if (now == last)
            {
                return;
            }

            last = now;
        }
    }

    private void Print(CostReport report)
    {
        output.WriteLine("| Workload (per unit) | our requests | our writes | our Tables / Blobs | Durable requests | Durable Tables / Queues / Blobs | host CPU | storage CPU | rate |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var w in new[] { report.Idle, report.Echo, report.StreamOneJob, report.StreamEightJobs, report.Sessions, report.IdleSessions, report.InFlight!, report.BulkClose! })
        {
            output.WriteLine($"| {w.Name} (per {w.Unit}) | {F(w.ArcpRequests, 2)} | {F(w.ArcpWrites, 2)} | {F(w.ArcpTableRequests, 2)} / {F(w.ArcpBlobRequests, 2)} | {F(w.DurableRequests, 2)} | {F(w.DurableTableRequests, 2)} / {F(w.DurableQueueRequests, 2)} / {F(w.DurableBlobRequests, 2)} | {F(w.HostCpuSeconds * 1000, 1)} ms | {F(w.StorageCpuSeconds * 1000, 1)} ms | {F(w.UnitsPerSecond, 1)} {w.Unit}/s |");
        }

        output.WriteLine();
        output.WriteLine("Writes to the most written partition of each of our tables (requests / entities per unit):");
        output.WriteLine();
        output.WriteLine("| Workload | " + string.Join(" | ", Tables) + " |");
        output.WriteLine("|---|" + string.Concat(Tables.Select(_ => "---|")));
        foreach (var w in new[] { report.Echo, report.StreamOneJob, report.StreamEightJobs, report.Sessions, report.BulkClose! })
        {
            output.WriteLine($"| {w.Name} (per {w.Unit}) | " + string.Join(" | ", Tables.Select(t => w.HottestPartitions.TryGetValue(t, out var p) ? $"{F(p.Requests, 2)} / {F(p.Entities, 2)}" : "—")) + " |");
        }

        output.WriteLine();
        output.WriteLine("By operation (requests per unit; `arcp` = our tables and container, `durable` = the task hub's):");
        output.WriteLine();
        output.WriteLine("| Operation | per echo job | per 1,000 events (1 job) | per 1,000 events (8 jobs) | per session | per idle session-second | per in-flight job-second |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        var keys = new[] { report.Echo, report.StreamOneJob, report.StreamEightJobs, report.Sessions, report.IdleSessions, report.InFlight! }.SelectMany(w => w.ByOperation.Keys).Distinct().Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            output.WriteLine($"| {key} | {Cell(report.Echo, key)} | {Cell(report.StreamOneJob, key)} | {Cell(report.StreamEightJobs, key)} | {Cell(report.Sessions, key)} | {Cell(report.IdleSessions, key, 3)} | {Cell(report.InFlight!, key, 3)} |");
        }
    }

    private static readonly string[] Tables = ["jobs", "sessions", "jobindex", "idempotency"];

    private static string Cell(WorkloadCost w, string key, int decimals = 2) => w.ByOperation.TryGetValue(key, out var v) ? F(v, decimals) : "—";

    /// <summary>Snapshots traffic and CPU around a workload and divides by its units.</summary>
    private sealed class Meter(StorageTraffic traffic, int hostProcessId, int? storageProcessId)
    {
        public async Task<WorkloadCost> MeasureAsync(string name, string unit, Func<Task<double>> work)
        {
            var before = traffic.Snapshot();
            var (host0, storage0) = (ProcessCpu.Seconds(hostProcessId), ProcessCpu.Seconds(storageProcessId));
            var watch = Stopwatch.StartNew();
            var units = await work();
            var seconds = watch.Elapsed.TotalSeconds;

            // Requests still in flight when the workload's last frame arrived (the job's terminal commit, Durable's
            // completion of the orchestration) belong to it.
            await Task.Delay(unit is "second" or "session-second" ? 0 : 1_000);
            var (host1, storage1) = (ProcessCpu.Seconds(hostProcessId), ProcessCpu.Seconds(storageProcessId));
            var delta = traffic.Snapshot().Since(before);
            double Per(double value) => value / units;
            return new WorkloadCost
            {
                Name = name,
                Unit = unit,
                Units = units,
                Seconds = seconds,
                ArcpRequests = Per(delta.Requests(StorageOwner.Arcp)),
                ArcpWrites = Per(delta.Requests(StorageOwner.Arcp, writesOnly: true)),
                ArcpTableRequests = Per(delta.Requests(StorageOwner.Arcp, StorageService.Table)),
                ArcpBlobRequests = Per(delta.Requests(StorageOwner.Arcp, StorageService.Blob)),
                DurableRequests = Per(delta.Requests(StorageOwner.Durable)),
                DurableTableRequests = Per(delta.Requests(StorageOwner.Durable, StorageService.Table)),
                DurableQueueRequests = Per(delta.Requests(StorageOwner.Durable, StorageService.Queue)),
                DurableBlobRequests = Per(delta.Requests(StorageOwner.Durable, StorageService.Blob)),
                HostCpuSeconds = Per(host1 - host0),
                StorageCpuSeconds = Per(storage1 - storage0),
                ByOperation = delta.Operations.GroupBy(p => p.Key.Key).ToDictionary(g => g.Key, g => Per(g.Sum(p => p.Value.Requests))),
                HottestPartitions = delta.Partitions.Where(p => p.Key.Owner == StorageOwner.Arcp).GroupBy(p => p.Key.Table).ToDictionary(
                    g => g.Key,
                    g =>
                    {
                        var hottest = g.MaxBy(p => p.Value.Entities);
                        return new PartitionLoad(Per(hottest.Value.Requests), Per(hottest.Value.Entities), g.Count(), g.Average(p => (double)p.Value.Entities));
                    }),
            };
        }
    }
}

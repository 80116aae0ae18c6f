using Arcp.Benchmarks;
using Arcp.Benchmarks.Capacity;
using Arcp.Benchmarks.Cost;
using Arcp.Benchmarks.Reference;
using Arcp.Benchmarks.WebPubSub;
using Arcp.Testing;

// Usage: dotnet run -c Release --project bench/Arcp.Benchmarks [-- [storage|sessions|webpubsub|cost|reference|capacity] [--events N] [--connection <storage connection string>]]
//   webpubsub  the Web PubSub path (local stand-in, REST +0/5/20 ms) beside the direct WebSocket; --rounds N (default 2)
//   cost       storage transactions and CPU per job / per 1,000 events / per session; --cost-out <file> (default cost.json)
//   idle       storage transactions per minute of an idle deployment, empty and with --sessions N (default 1000) idle
//              connected sessions; --window-seconds N (default 60), --settle-seconds N (default 60)
//   reference  the same workloads against another ARCP runtime: --reference ws://host:port/arcp [--reference-token T] [--reference-pid PID]
//   takeover   SIGKILL a host mid-job with the shipped defaults: time until a second host runs the job; --rounds N (default 3)
//   encode     per-event CPU and allocation of frame building and page decoding, no storage; --events N
//   capacity   the capacity model: --usage <cost.json> [--shape echo|chat|idle] [--jobs-per-minute N] ... (see CapacityCommand)
// Without a connection string a private in-memory Azurite is started on free ports and stopped afterwards.
var arguments = new BenchArguments(args);
if (arguments.Suites.Contains("capacity"))
{
    return CapacityCommand.Run(arguments, Console.Out);
}

if (arguments.Suites.Contains("encode"))
{
    Console.WriteLine($"# Event frames and pages, CPU and allocation per event — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    Console.WriteLine();
    new EnvelopeBenchmarks(Console.Out).Run((int)(arguments.Number("events") ?? 200_000));
    return 0;
}

var events = arguments.Events;
var connection = arguments.Option("connection");

await using var azurite = connection is null ? await AzuriteInstance.StartAsync() : null;
var connectionString = connection ?? azurite!.ConnectionString;
Console.WriteLine($"# ARCP runtime benchmarks — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine();
if (arguments.Runs("storage"))
{
    Console.WriteLine("## Durable state core");
    await new StorageBenchmarks(connectionString, Console.Out).RunAsync(events);
    Console.WriteLine();
}

if (arguments.Runs("sessions"))
{
    Console.WriteLine("## Sessions (a host process: Durable Task workers, Tables on Azurite)");
    var sessions = new SessionBenchmarks(connectionString, Console.Out);
    await sessions.RunAsync(events);
    Console.WriteLine();
    Console.WriteLine("## Job execution against the raw Durable Task reference (same run)");
    Console.WriteLine("| Measurement | Result |");
    Console.WriteLine("|---|---|");
    var (rate, startP50) = await new DurableReferenceBenchmarks(connectionString, Console.Out).RunAsync(100);
    Console.WriteLine($"| `echo` jobs/s ÷ raw orchestrations/s | {Measurements.F(sessions.EchoJobsPerSecond / rate, 2)} (target ≥ 0.80) |");
    Console.WriteLine($"| accepted → first event p50 ÷ raw schedule → activity start p50 | {Measurements.F(sessions.AcceptedToFirstEventP50 / startP50, 2)} (target ≤ 1.5) |");
    Console.WriteLine();
}

if (arguments.Runs("webpubsub"))
{
    Console.WriteLine("## The Web PubSub path against the direct WebSocket (one host process, same run)");
    var rounds = (int)(arguments.Number("rounds") ?? 2);
    var load = Measurements.LoadAverage();
    var suite = new WebPubSubBenchmarks(connectionString, Console.Out);
    var results = await suite.RunAsync(rounds);
    suite.Print(results, rounds, load, Measurements.LoadAverage());
    Console.WriteLine();
}

if (arguments.Runs("cost"))
{
    Console.WriteLine("## Storage transactions and CPU (counted at a loopback proxy in front of the storage)");
    var report = await new CostBenchmarks(connectionString, azurite?.ProcessId, Console.Out).RunAsync(events);
    var path = arguments.Option("cost-out") ?? "cost.json";
    await File.WriteAllTextAsync(path, report.ToJson());
    Console.WriteLine();
    Console.WriteLine($"(usage written to {path}: `capacity --usage {path}` reads it)");
    Console.WriteLine();
}

if (arguments.Runs("takeover"))
{
    Console.WriteLine("## Takeover after SIGKILL, default settings (two host processes, one job)");
    await new TakeoverBenchmarks(connectionString, Console.Out).RunAsync((int)(arguments.Number("rounds") ?? 3));
    Console.WriteLine();
}

if (arguments.Runs("idle"))
{
    Console.WriteLine("## Storage transactions of an idle deployment (counted at a loopback proxy in front of the storage)");
    await new IdleDeploymentBenchmarks(connectionString, Console.Out).RunAsync(
        (int)(arguments.Number("sessions") ?? 1000),
        TimeSpan.FromSeconds(arguments.Number("window-seconds") ?? 60),
        TimeSpan.FromSeconds(arguments.Number("settle-seconds") ?? 60));
    Console.WriteLine();
}

if (arguments.Runs("reference"))
{
    var url = arguments.Option("reference") ?? throw new ArgumentException("The reference suite needs --reference ws://host:port/arcp.");
    var pid = arguments.Number("reference-pid") is { } p ? (int?)p : null;
    Console.WriteLine($"## Side by side with the runtime at {url}");
    var reference = new ReferenceRuntime(new Uri(url), arguments.Option("reference-token") ?? "tok", pid);
    await new SideBySideBenchmarks(connectionString, azurite?.ProcessId, reference, Console.Out).RunAsync(events);
    Console.WriteLine();
}

return 0;

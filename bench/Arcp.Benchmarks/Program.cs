using Arcp.Benchmarks;
using Arcp.Testing;

// Usage: dotnet run -c Release --project bench/Arcp.Benchmarks [-- [storage|sessions] [--events N] [--connection <storage connection string>]]
// Without a connection string a private in-memory Azurite is started on free ports and stopped afterwards.
var events = args.SkipWhile(a => a != "--events").Skip(1).Select(int.Parse).FirstOrDefault(20_000);
var connection = args.SkipWhile(a => a != "--connection").Skip(1).FirstOrDefault();

await using var azurite = connection is null ? await AzuriteInstance.StartAsync() : null;
var connectionString = connection ?? azurite!.ConnectionString;
Console.WriteLine($"# ARCP runtime benchmarks — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine();
var suites = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && a != events.ToString(System.Globalization.CultureInfo.InvariantCulture) && a != connection).DefaultIfEmpty("all").ToList();
if (suites.Contains("all") || suites.Contains("storage"))
{
    Console.WriteLine("## Durable state core");
    await new StorageBenchmarks(connectionString, Console.Out).RunAsync(events);
    Console.WriteLine();
}

if (suites.Contains("all") || suites.Contains("sessions"))
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
}

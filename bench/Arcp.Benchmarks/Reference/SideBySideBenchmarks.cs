using Arcp.Testing;
using static Arcp.Benchmarks.Measurements;

namespace Arcp.Benchmarks.Reference;

/// <summary>
/// The same workloads against this runtime (a host process on the benchmark's storage) and against another ARCP
/// runtime reached only by its URL (for instance the public SDK's in-memory runtime), alternating, in one run; prints
/// both columns and their ratio. The other runtime is a measuring stick: nothing here depends on it being there.
/// </summary>
internal sealed class SideBySideBenchmarks(string connectionString, int? storageProcessId, ReferenceRuntime reference, TextWriter output)
{
    private const int Rounds = 2;

    public async Task RunAsync(int events)
    {
        var (host, endpoint, workDir) = await BenchHost.StartAsync(connectionString, BenchHost.Name('r'), BenchHost.Name('h'));
        await using (host)
        {
            var ours = new Side("ArcpFunctions", endpoint, ArcpWireClient.DefaultToken, () => ProcessCpu.Seconds(host.ProcessId) + ProcessCpu.Seconds(storageProcessId));
            var theirs = new Side("reference", reference.Endpoint, reference.Token, () => ProcessCpu.Seconds(reference.ProcessId));
            foreach (var side in new[] { ours, theirs })
            {
                await Workloads.EchoAsync(side.Endpoint, side.Token, 10, 8);
                await Workloads.BurstAsync(side.Endpoint, side.Token, 1, 2_000);
            }

            var rows = new List<(string Name, string Unit, List<double> Ours, List<double> Theirs, string Target)>
            {
                ($"1 `burst` job × {events:N0} events → one client", "events/s", [], [], "≥ 0.5"),
                ($"8 `burst` jobs × {events:N0} → one session", "events/s", [], [], "≥ 0.5"),
                ("submit → `job.accepted` p50 (50 sequential `echo`)", "ms", [], [], "—"),
                ("`echo` end to end, 8 in flight on one session (200 jobs)", "jobs/s", [], [], "—"),
                ("host + storage CPU per 1,000 streamed events", "CPU-ms", [], [], "—"),
            };
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var (side, column) in new[] { (ours, 2), (theirs, 3) })
                {
                    var cpu0 = side.Cpu();
                    var one = await Workloads.BurstAsync(side.Endpoint, side.Token, 1, events);
                    var eight = await Workloads.BurstAsync(side.Endpoint, side.Token, 8, 8 * events);
                    var cpuPerThousand = (side.Cpu() - cpu0) * 1000 / ((one.Events + eight.Events) / 1000.0);
                    var accepted = (await Workloads.SubmitToAcceptedAsync(side.Endpoint, side.Token, 50)).Percentile(50);
                    var echo = await Workloads.EchoAsync(side.Endpoint, side.Token, 200, 8);
                    double[] values = [one.PerSecond, eight.PerSecond, accepted, echo, cpuPerThousand];
                    for (var i = 0; i < rows.Count; i++)
                    {
                        (column == 2 ? rows[i].Ours : rows[i].Theirs).Add(values[i]);
                    }
                }
            }

            output.WriteLine($"| Figure ({Rounds} alternating rounds) | reference | ArcpFunctions | ours ÷ reference | Target |");
            output.WriteLine("|---|---|---|---|---|");
            foreach (var row in rows)
            {
                var ratios = row.Ours.Zip(row.Theirs, (o, t) => t == 0 ? double.NaN : o / t).ToList();
                var theirsCell = reference.ProcessId is null && row.Unit == "CPU-ms" ? "— (no `--reference-pid`)" : $"{Range(row.Theirs)} {row.Unit}";
                var ratioCell = reference.ProcessId is null && row.Unit == "CPU-ms" ? "—" : Range(ratios, 2);
                output.WriteLine($"| {row.Name} | {theirsCell} | {Range(row.Ours)} {row.Unit} | {ratioCell} | {row.Target} |");
            }
        }

        workDir.Delete(recursive: true);
    }

    private static string Range(List<double> values, int decimals = 1)
    {
        var (low, high) = (values.Min(), values.Max());

        // Small ratios keep three significant digits (an echo ratio of 0.0008 is not 0.00).
        var digits = low >= 100 ? 0 : Math.Max(decimals, low is > 0 and < 1 ? (int)Math.Ceiling(-Math.Log10(low)) + 2 : decimals);
        return low == high ? F(low, digits) : $"{F(low, digits)}–{F(high, digits)}";
    }

    private sealed record Side(string Name, Uri Endpoint, string Token, Func<double> Cpu);
}

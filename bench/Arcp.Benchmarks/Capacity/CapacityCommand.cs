using Arcp.Benchmarks.Cost;
using static Arcp.Benchmarks.Measurements;

namespace Arcp.Benchmarks.Capacity;

/// <summary>
/// <c>capacity --usage cost.json [--shape echo|chat|idle] [--jobs-per-minute N] [--partitions N] [--max-instances N]
/// [--web-pubsub-units N] [--web-pubsub-send-ms N] [--sessions N] [--cores N]</c>: prints each shape's resources, the first limit, instances and
/// monthly cost at 10 and 1,000 jobs/min (or the given rate), then this machine's predicted ceilings beside the
/// measured rates.
/// </summary>
internal static class CapacityCommand
{
    public static int Run(BenchArguments arguments, TextWriter output)
    {
        var path = arguments.Option("usage") ?? "cost.json";
        if (!File.Exists(path))
        {
            output.WriteLine($"No usage file at {path}: run the `cost` suite first (it writes one), or pass --usage <file>.");
            return 2;
        }

        var usage = CostReport.FromJson(File.ReadAllText(path));
        var limits = new AzureLimits
        {
            DurablePartitions = (int)(arguments.Number("partitions") ?? 4),
            MaximumInstances = (int)(arguments.Number("max-instances") ?? 100),
            WebPubSubUnits = (int)(arguments.Number("web-pubsub-units") ?? 1),
            WebPubSubSendMs = arguments.Number("web-pubsub-send-ms") ?? 10,
        };
        var model = new CapacityModel(usage, limits, new Prices());
        var shapes = arguments.Option("shape") is { } one ? [one] : new[] { "echo", "chat", "idle" };
        var rates = arguments.Number("jobs-per-minute") is { } rate ? [rate] : new[] { 10.0, 1_000.0 };
        output.WriteLine($"Usage measured {usage.Measured:yyyy-MM-dd HH:mm} UTC ({path}); limits: {limits.DurablePartitions} partitions, {limits.MaximumInstances} instances max, {limits.WebPubSubUnits} Web PubSub unit(s), {F(limits.WebPubSubSendMs, 0)} ms per Web PubSub send, {limits.TargetUtilisation:P0} target utilisation; prices: {Prices.AsOf}.");
        foreach (var name in shapes)
        {
            foreach (var jobsPerMinute in rates)
            {
                var shape = arguments.Number("sessions") is { } sessions && name == "idle" ? LoadShape.Idle(jobsPerMinute, sessions) : LoadShape.Named(name, jobsPerMinute);
                Print(model.Evaluate(shape), output);
            }
        }

        output.WriteLine();
        output.WriteLine($"### This machine ({F(arguments.Number("cores") ?? usage.Cores, 0)} cores shared by the host and the storage emulator): predicted ceiling = cores ÷ (host + storage CPU per unit)");
        output.WriteLine();
        output.WriteLine("| Workload | predicted ceiling | measured in the same run | measured ÷ predicted |");
        output.WriteLine("|---|---|---|---|");
        foreach (var (workload, unit, predicted, measured) in model.LocalPrediction(arguments.Number("cores")))
        {
            output.WriteLine($"| {workload} | {F(predicted, 1)} {unit}/s | {F(measured, 1)} {unit}/s | {F(measured / predicted, 2)} |");
        }

        var mixed = model.PredictMixed();
        if (mixed.Count > 0)
        {
            var run = usage.Mixed!;
            output.WriteLine();
            output.WriteLine($"### The mixed run ({run.Jobs} paced `echo` jobs, {run.StreamedEvents:N0} streamed events, {run.SessionsOpened} sessions opened, {run.IdleSessions} idle sessions, {F(run.Seconds, 1)} s): model vs counted");
            output.WriteLine();
            output.WriteLine("| Quantity | predicted | measured | measured ÷ predicted |");
            output.WriteLine("|---|---|---|---|");
            foreach (var (quantity, predicted, measured) in mixed)
            {
                output.WriteLine($"| {quantity} | {F(predicted, 1)} | {F(measured, 1)} | {F(measured / predicted, 2)} |");
            }

            output.WriteLine();
            output.WriteLine($"Our operations, largest difference first (in-flight job-seconds beyond the units: {F(model.MixedExtraInFlightSeconds(run), 1)}):");
            output.WriteLine();
            output.WriteLine("| Operation | predicted | measured |");
            output.WriteLine("|---|---|---|");
            foreach (var (operation, predicted, measured) in model.PredictMixedByOperation().Take(8))
            {
                output.WriteLine($"| {operation} | {F(predicted, 1)} | {F(measured, 0)} |");
            }
        }

        return 0;
    }

    private static void Print(CapacityEstimate estimate, TextWriter output)
    {
        var shape = estimate.Shape;
        output.WriteLine();
        output.WriteLine($"### {shape.Name}: {F(shape.JobsPerMinute, 0)} jobs/min, {F(shape.EventsPerJob, 0)} events per job, {F(shape.ConnectedSessions, 0)} connected sessions");
        output.WriteLine();
        output.WriteLine("| Resource | use | limit | headroom (× this load) |");
        output.WriteLine("|---|---|---|---|");
        foreach (var r in estimate.Resources.OrderBy(r => r.Headroom))
        {
            var headroom = double.IsPositiveInfinity(r.Headroom) ? "—" : F(r.Headroom, 1);
            output.WriteLine($"| {r.Resource} | {F(r.Usage, 2)} {r.Unit} | {F(r.Limit, 0)} | {headroom}{(r.GrowsWithRate ? string.Empty : " (per job or session: does not grow with jobs/min)")} |");
        }

        var first = estimate.FirstLimit;
        output.WriteLine();
        output.WriteLine($"First limit: **{first.Resource}** at {F(first.Headroom, 1)}× this load; remedy: {first.Remedy}.");
        foreach (var tight in estimate.Resources.Where(r => !r.GrowsWithRate && r.Headroom < 1))
        {
            output.WriteLine($"Does not fit at any rate: **{tight.Resource}** ({F(tight.Usage, 1)} {tight.Unit} against {F(tight.Usage * tight.Headroom, 1)} at the target utilisation); remedy: {tight.Remedy}.");
        }

        output.WriteLine($"Storage {F(estimate.StorageRequestsPerSecond, 1)} requests/s; {F(estimate.Instances, 0)} Flex instance(s). Monthly: storage transactions ${F(estimate.Cost.StorageTransactions, 2)}, Functions ${F(estimate.Cost.Functions, 2)}, Web PubSub ${F(estimate.Cost.WebPubSub, 2)}, telemetry ${F(estimate.Cost.Telemetry, 2)} = **${F(estimate.Cost.Total, 2)}**.");
    }
}

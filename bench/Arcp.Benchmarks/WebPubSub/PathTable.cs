using static Arcp.Benchmarks.Measurements;

namespace Arcp.Benchmarks.WebPubSub;

/// <summary>
/// The suite's result table: each path's median over its repeats, and its ratio to the baseline path (the direct
/// WebSocket, measured in the same run) — the ratio is what survives a loaded machine.
/// </summary>
internal static class PathTable
{
    /// <summary>Each path's repeats reduced to their median, in first-seen order of <paramref name="runs"/>.</summary>
    public static IReadOnlyList<PathMeasurement> Medians(IEnumerable<PathMeasurement> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return runs.GroupBy(r => r.Path).Select(g =>
        {
            var list = g.ToList();
            double M(Func<PathMeasurement, double> field) => Median(list.Select(field));
            return new PathMeasurement(
                g.Key,
                M(r => r.SubmitToAcceptedP50),
                M(r => r.SubmitToAcceptedP95),
                M(r => r.EchoJobsPerSecond),
                M(r => r.BurstEventsPerSecond),
                list[0].BurstEvents,
                M(r => r.OurRequestsPerEchoJob),
                M(r => r.DurableRequestsPerEchoJob),
                M(r => r.RestCallsPerEchoJob))
            {
                OperationsPerEchoJob = list.SelectMany(r => r.OperationsPerEchoJob.Keys).Distinct().ToDictionary(k => k, k => Median(list.Select(r => r.OperationsPerEchoJob.GetValueOrDefault(k)))),
            };
        }).ToList();
    }

    /// <summary>
    /// Rows: the figures, then "÷ baseline" for each (latency: path ÷ baseline, so above 1 is slower; rates: path ÷
    /// baseline, so below 1 is slower). The baseline's own row shows 1.00.
    /// </summary>
    public static IReadOnlyList<string> Render(IReadOnlyList<PathMeasurement> paths, string baseline)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var b = paths.Single(p => p.Path == baseline);
        var lines = new List<string>
        {
            "| Path | submit → `job.accepted` p50 / p95 | `echo` jobs/s, 8 in flight | events/s, 1 `burst` job | our / Durable's storage requests per `echo` job | REST calls per `echo` job | p50 ÷ direct | jobs/s ÷ direct | events/s ÷ direct |",
            "|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var p in paths)
        {
            lines.Add($"| {p.Path} | {F(p.SubmitToAcceptedP50)} / {F(p.SubmitToAcceptedP95)} ms | {F(p.EchoJobsPerSecond)} | {F(p.BurstEventsPerSecond, 0)} ({p.BurstEvents:N0} events) | {F(p.OurRequestsPerEchoJob)} / {F(p.DurableRequestsPerEchoJob)} | {F(p.RestCallsPerEchoJob, 2)} | {Ratio(p.SubmitToAcceptedP50, b.SubmitToAcceptedP50)} | {Ratio(p.EchoJobsPerSecond, b.EchoJobsPerSecond)} | {Ratio(p.BurstEventsPerSecond, b.BurstEventsPerSecond)} |");
        }

        return lines;
    }

    /// <summary>Our operations per <c>echo</c> job on <paramref name="path"/> against the baseline, largest difference first.</summary>
    public static IReadOnlyList<string> RenderOperations(IReadOnlyList<PathMeasurement> paths, string baseline, string path, int top)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var b = paths.Single(p => p.Path == baseline).OperationsPerEchoJob;
        var p = paths.Single(p => p.Path == path).OperationsPerEchoJob;
        var lines = new List<string> { $"| Operation (ours, per `echo` job) | {baseline} | {path} |", "|---|---|---|" };
        lines.AddRange(b.Keys.Union(p.Keys)
            .Select(k => (Key: k, Base: b.GetValueOrDefault(k), Path: p.GetValueOrDefault(k)))
            .OrderByDescending(r => Math.Abs(r.Path - r.Base))
            .Take(top)
            .Select(r => $"| {r.Key} | {F(r.Base, 2)} | {F(r.Path, 2)} |"));
        return lines;
    }

    internal static string Ratio(double value, double baseline) => baseline > 0 ? F(value / baseline, 2) : "—";

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

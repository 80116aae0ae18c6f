namespace Arcp.Cli.Bench;

/// <summary>Median and 99th percentile (nearest rank) of a set of latencies, in milliseconds.</summary>
internal sealed record LatencySummary(int Count, double P50Ms, double P99Ms)
{
    public static LatencySummary From(IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        return sorted.Length == 0
            ? new LatencySummary(0, double.NaN, double.NaN)
            : new LatencySummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.99));
    }

    private static double Rank(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}

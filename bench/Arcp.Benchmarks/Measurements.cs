using System.Diagnostics;
using System.Globalization;

namespace Arcp.Benchmarks;

/// <summary>Small statistics helpers: percentiles over measured durations.</summary>
internal static class Measurements
{
    public static double Percentile(this List<double> samples, double p)
    {
        var sorted = samples.Order().ToList();
        var index = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    public static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>The machine's 1-minute load average (other processes share the cores), NaN where it cannot be read.</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    public static string F(double value, int decimals = 1) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}

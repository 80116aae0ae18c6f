namespace Arcp.Runtime.Storage;

/// <summary>
/// Pacing between attempts of work that waits out a storage outage (each attempt already retried its own transient
/// faults): doubling from a quarter second to at most five seconds, jittered so nodes do not return in lockstep.
/// </summary>
public static class OutageBackoff
{
    private static readonly TimeSpan s_first = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(5);

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (1-based).</summary>
    public static TimeSpan Delay(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 10);
        var ceiling = Math.Min(s_first.TotalMilliseconds * (1 << exponent), s_max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((ceiling / 2) + Random.Shared.NextDouble() * (ceiling / 2));
    }
}

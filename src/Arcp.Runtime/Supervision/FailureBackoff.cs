namespace Arcp.Runtime.Supervision;

/// <summary>
/// Capped exponential backoff of a long-running loop that keeps going through storage errors: each failure in a row
/// doubles the wait up to <see cref="Max"/>; a success resets it. Knows how long the loop has been failing, so a
/// loop that cannot recover within its bound can give up visibly instead of spinning forever.
/// </summary>
internal sealed class FailureBackoff
{
    private readonly TimeProvider _time;
    private long? _failingSince;

    /// <summary>Backoff from <paramref name="initial"/>, doubling, at most <paramref name="max"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A delay is not positive, or <paramref name="max"/> is below <paramref name="initial"/>.</exception>
    public FailureBackoff(TimeProvider timeProvider, TimeSpan initial, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        _time = timeProvider;
        Initial = initial;
        Max = max;
    }

    public TimeSpan Initial { get; }

    public TimeSpan Max { get; }

    /// <summary>Failures in a row.</summary>
    public int Failures { get; private set; }

    /// <summary>Time since the first failure of the current run of failures (zero after a success).</summary>
    public TimeSpan FailingFor => _failingSince is { } since ? _time.GetElapsedTime(since) : TimeSpan.Zero;

    /// <summary>Records a failure; returns how long to wait before the next try.</summary>
    public TimeSpan Failed()
    {
        _failingSince ??= _time.GetTimestamp();
        var delay = Initial * Math.Pow(2, Math.Min(Failures, 20));
        Failures++;
        return delay < Max ? delay : Max;
    }

    /// <summary>Records a success: the next failure starts again from <see cref="Initial"/>.</summary>
    public void Succeeded()
    {
        Failures = 0;
        _failingSince = null;
    }
}

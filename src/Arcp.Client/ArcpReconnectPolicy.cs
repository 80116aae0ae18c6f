namespace Arcp.Client;

/// <summary>How a dropped connection is re-established: exponential backoff with jitter, a bounded number of attempts.</summary>
/// <param name="Enabled">Whether to reconnect and resume at all; when false, a drop fails every open job and request.</param>
/// <param name="MaxAttempts">Attempts per outage before giving up.</param>
/// <param name="InitialDelay">Delay before the second attempt (the first is immediate).</param>
/// <param name="MaxDelay">Upper bound of the delay between attempts.</param>
/// <param name="FirstDelay">Delay before the first attempt (none by default: most drops are brief).</param>
public sealed record ArcpReconnectPolicy(
    bool Enabled = true,
    int MaxAttempts = 10,
    TimeSpan? InitialDelay = null,
    TimeSpan? MaxDelay = null,
    TimeSpan? FirstDelay = null)
{
    /// <summary>A policy that never reconnects.</summary>
    public static ArcpReconnectPolicy Disabled { get; } = new(Enabled: false);

    internal TimeSpan DelayBefore(int attempt)
    {
        if (attempt <= 1)
        {
            return FirstDelay ?? TimeSpan.Zero;
        }

        var initial = InitialDelay ?? TimeSpan.FromMilliseconds(200);
        var max = MaxDelay ?? TimeSpan.FromSeconds(5);
        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 2, 16));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(capped * jitter);
    }
}

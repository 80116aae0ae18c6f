namespace Arcp.Runtime.Storage;

/// <summary>
/// Pacing for optimistic-concurrency retries: a short random delay that grows with the attempt, so writers that lost
/// a race on one row do not retry in lockstep. Used only where retrying is correct (the operation is idempotent or the
/// loser re-decides from a fresh read), never to overturn a race the loser must yield.
/// </summary>
internal static class ConflictBackoff
{
    /// <summary>Attempts after which contention is treated as an outage rather than a race.</summary>
    public const int MaxAttempts = 200;

    /// <summary>Waits before attempt <paramref name="attempt"/> (1-based); throws once attempts are exhausted.</summary>
    public static Task DelayAsync(int attempt, CancellationToken cancellationToken)
    {
        if (attempt >= MaxAttempts)
        {
            throw new StorageContentionException($"Gave up after {attempt} conflicting writes.");
        }

        var ceilingMs = Math.Min(2 << Math.Min(attempt, 6), 100);
        return Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, ceilingMs + 1)), cancellationToken);
    }
}

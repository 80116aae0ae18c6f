using Arcp.Runtime.Supervision;

namespace Arcp.Runtime.Storage;

/// <summary>
/// Waits out a storage outage for work that cannot go on without storage (a job's owner): each attempt already
/// retried its own transient faults, so between attempts it backs off from a quarter second to at most five, until
/// the caller gives up through its token.
/// </summary>
internal static class StorageOutage
{
    private static readonly TimeSpan s_first = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="operation"/> until it answers; <paramref name="waiting"/> hears of each failure (count in a row).</summary>
    public static async Task<T> WaitOutAsync<T>(Func<CancellationToken, Task<T>> operation, TimeProvider timeProvider, Action<StorageUnavailableException, int>? waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var backoff = new FailureBackoff(timeProvider, s_first, s_max);
        while (true)
        {
            try
            {
                return await operation(cancellationToken).ConfigureAwait(false);
            }
            catch (StorageUnavailableException ex) when (!cancellationToken.IsCancellationRequested)
            {
                var delay = backoff.Failed();
                waiting?.Invoke(ex, backoff.Failures);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

using System.Collections.Concurrent;

namespace Arcp.Runtime.Delivery;

/// <summary>
/// In-process wake-ups: a writer pulses a key ("session X has new outbox rows", "job Y appended") and whoever waits on
/// it wakes at once instead of at its next poll. Only an optimisation: storage stays the truth, and waiters also wake
/// on a timeout to pick up what other processes wrote. A key nobody waited on for <see cref="StaleAfter"/> is dropped
/// (any waiter left is woken, which costs it one read), so keys of finished jobs and gone sessions do not pile up.
/// </summary>
public sealed class SignalHub(TimeProvider? timeProvider = null)
{
    /// <summary>
    /// Longer than any waiter's poll timeout (an idle session's delivery waits at most
    /// <see cref="Sessions.ArcpSessionOptions.IdleDeliveryPollCeiling"/> before it waits again), so a key someone keeps
    /// waiting on is never dropped under it: such a drop would wake the waiter for nothing and cost it a read.
    /// </summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Signal> _signals = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>Keys waited on right now.</summary>
    internal int Count => _signals.Count;

    /// <summary>Key of a session's outbox.</summary>
    public static string Session(string sessionId) => "s:" + sessionId;

    /// <summary>Key of a session's set of subscriptions (a job was submitted or subscribed).</summary>
    public static string SessionSubscriptions(string sessionId) => "u:" + sessionId;

    /// <summary>Key of a job's event stream.</summary>
    public static string Job(string jobId) => "j:" + jobId;

    /// <summary>Wakes everyone waiting on <paramref name="key"/>.</summary>
    public void Pulse(string key)
    {
        if (_signals.TryRemove(key, out var signal))
        {
            signal.Source.TrySetResult();
        }
    }

    /// <summary>A task that completes at the next pulse of <paramref name="key"/>.</summary>
    public Task WaitForAsync(string key)
    {
        var now = _time.GetTimestamp();
        SweepIfDue(now);
        var signal = _signals.GetOrAdd(key, static (_, at) => new Signal(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), at), now);
        signal.Waited(now);
        return signal.Source.Task;
    }

    private void SweepIfDue(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)(StaleAfter.TotalSeconds * _time.TimestampFrequency), due) != due)
        {
            return;
        }

        foreach (var (key, signal) in _signals)
        {
            if (_time.GetElapsedTime(signal.LastWaitedAt, now) >= StaleAfter && _signals.TryRemove(new KeyValuePair<string, Signal>(key, signal)))
            {
                signal.Source.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Completes when any of <paramref name="signals"/> (from <see cref="WaitForAsync"/>, taken before the caller read
    /// storage, so a pulse during the read is not lost) completes, or <paramref name="timeout"/> passes.
    /// </summary>
    /// <returns>True when a signal woke the caller, false on the timeout.</returns>
    public static async Task<bool> WaitAnyAsync(IEnumerable<Task> signals, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signals);
        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, timeProvider, stopDelay.Token);
        var woke = await Task.WhenAny([.. signals, delay]).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (woke != delay)
        {
            await stopDelay.CancelAsync().ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private sealed class Signal(TaskCompletionSource source, long createdAt)
    {
        private long _lastWaitedAt = createdAt;

        public TaskCompletionSource Source { get; } = source;

        public long LastWaitedAt => Interlocked.Read(ref _lastWaitedAt);

        public void Waited(long at) => Interlocked.Exchange(ref _lastWaitedAt, at);
    }
}

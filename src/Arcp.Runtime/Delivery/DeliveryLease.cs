using System.Collections.Concurrent;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Delivery;

/// <summary>
/// The storage lease that makes exactly one node at a time send a session's frames over a stateless transport, so they
/// leave in order however many nodes handle its messages or append to its jobs. It is taken once per burst (a
/// conditional write on the session's delivery row), renewed while the burst lasts and checked before every frame;
/// a renewal that finds the row changed means the lease was taken over, and the burst stops at once.
/// </summary>
public sealed partial class DeliveryLease(IDeliveryLeaseStore store, TimeProvider timeProvider, IOptions<ArcpSessionOptions> options, ILogger<DeliveryLease> logger)
{
    private const int MaxKnown = 10_000;
    private static readonly TimeSpan s_pollWait = TimeSpan.FromMilliseconds(50);
    private static readonly string s_node = $"{Environment.MachineName}:{Environment.ProcessId}";

    // The row as this node last wrote or read it: the next burst tries its conditional write straight away, without a read.
    private readonly ConcurrentDictionary<string, DeliveryLeaseRecord> _known = new(StringComparer.Ordinal);

    internal TimeSpan Duration => options.Value.DeliveryLeaseDuration;

    /// <summary>
    /// Takes the lease to send to <paramref name="connectionId"/>, waiting up to <paramref name="wait"/> for a current
    /// holder; null when it is still held. The burst starts after the seq last sent to that connection. Only a burst
    /// that <paramref name="adopt"/>s the connection (the one carrying its welcome) may move the row to a new
    /// connection, starting after <paramref name="attachedSeq"/>: no event may overtake the welcome. Other bursts get
    /// null for a connection the row does not speak of yet.
    /// </summary>
    public async Task<DeliveryLeaseHandle?> AcquireAsync(string sessionId, string connectionId, long attachedSeq, bool adopt, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        var token = NewToken();
        var deadline = timeProvider.GetUtcNow() + wait;
        _known.TryGetValue(sessionId, out var current);
        while (true)
        {
            var cached = current is not null;
            current ??= await store.GetAsync(sessionId, cancellationToken).ConfigureAwait(false) ?? new DeliveryLeaseRecord { SessionId = sessionId };
            var now = timeProvider.GetUtcNow();
            if (!adopt && current.ConnectionId != connectionId)
            {
                return null;
            }

            if (current.Owner is null || current.Until is not { } until || until <= now)
            {
                var start = current.ConnectionId == connectionId ? current.DeliveredSeq : attachedSeq;
                var written = await store.TryWriteAsync(current, current with { Owner = token, Until = now + Duration, ConnectionId = connectionId, DeliveredSeq = start }, cancellationToken).ConfigureAwait(false);
                if (written is not null)
                {
                    Remember(written);
                    return new DeliveryLeaseHandle(this, written, now);
                }

                current = null;
                if (cached)
                {
                    // Only the cached version was stale: read and try again at once.
                    continue;
                }
            }
            else
            {
                current = null;
            }

            if (timeProvider.GetUtcNow() >= deadline)
            {
                _known.TryRemove(sessionId, out _);
                return null;
            }

            await Task.Delay(s_pollWait, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// How far <paramref name="connectionId"/> got, as this node last saw the row (read when unknown): a quick check
    /// that skips the burst when nothing is new. A stale answer only costs a burst that finds nothing to send. For a
    /// connection the row does not speak of it is <paramref name="attachedSeq"/>.
    /// </summary>
    public async Task<long> KnownDeliveredSeqAsync(string sessionId, string connectionId, long attachedSeq, CancellationToken cancellationToken)
    {
        if (!_known.TryGetValue(sessionId, out var row))
        {
            row = await store.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
            if (row is not null)
            {
                Remember(row);
            }
        }

        return row is not null && row.ConnectionId == connectionId ? row.DeliveredSeq : attachedSeq;
    }

    /// <summary>
    /// Takes the lease whoever holds it (the connection is gone, so a holder's sends are pointless): the holder's next
    /// renewal finds the row changed and stops. The seq recorded for the connection is kept.
    /// </summary>
    public async Task<DeliveryLeaseHandle?> TakeOverAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var token = NewToken();
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            var current = await store.GetAsync(sessionId, cancellationToken).ConfigureAwait(false) ?? new DeliveryLeaseRecord { SessionId = sessionId };
            var now = timeProvider.GetUtcNow();
            var written = await store.TryWriteAsync(current, current with { Owner = token, Until = now + Duration }, cancellationToken).ConfigureAwait(false);
            if (written is not null)
            {
                if (current.Owner is not null && current.Until > now)
                {
                    LogTakenOver(logger, sessionId);
                }

                Remember(written);
                return new DeliveryLeaseHandle(this, written, now);
            }

            await Storage.ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>Renews <paramref name="held"/> with its progress; null when the row changed (the lease was taken over).</summary>
    internal async Task<DeliveryLeaseRecord?> RenewAsync(DeliveryLeaseRecord held, long deliveredSeq, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var written = await store.TryWriteAsync(held, held with { Until = now + Duration, DeliveredSeq = deliveredSeq }, cancellationToken).ConfigureAwait(false);
        if (written is null)
        {
            _known.TryRemove(held.SessionId, out _);
            LogLost(logger, held.SessionId, deliveredSeq);
            return null;
        }

        Remember(written);
        return written;
    }

    /// <summary>Frees the lease, recording exactly how far its connection got; does nothing when it was taken over.</summary>
    internal async Task ReleaseAsync(DeliveryLeaseRecord held, long deliveredSeq, CancellationToken cancellationToken)
    {
        try
        {
            var written = await store.TryWriteAsync(held, held with { Owner = null, Until = null, DeliveredSeq = deliveredSeq }, cancellationToken).ConfigureAwait(false);
            if (written is null)
            {
                _known.TryRemove(held.SessionId, out _);
                return;
            }

            Remember(written);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // The lease expires on its own; the next burst resends from the last renewal (same seqs, same bytes).
            _known.TryRemove(held.SessionId, out _);
            LogReleaseFailed(logger, ex, held.SessionId);
        }
    }

    internal TimeProvider Clock => timeProvider;

    private static string NewToken() => $"{s_node}:{Guid.NewGuid():N}";

    private void Remember(DeliveryLeaseRecord record)
    {
        if (_known.Count >= MaxKnown)
        {
            _known.Clear();
        }

        _known[record.SessionId] = record;
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Delivery lease of session {SessionId} was taken over after seq {DeliveredSeq}; this burst stops")]
    private static partial void LogLost(ILogger logger, string sessionId, long deliveredSeq);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Delivery lease of session {SessionId} taken over from its holder (connection gone)")]
    private static partial void LogTakenOver(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Releasing the delivery lease of session {SessionId} failed; it expires on its own")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string sessionId);
}

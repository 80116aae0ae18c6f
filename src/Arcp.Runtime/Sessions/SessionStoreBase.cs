using System.Collections.Concurrent;
using Arcp.Runtime.Storage;

namespace Arcp.Runtime.Sessions;

/// <summary>
/// The outbox decisions of <see cref="ISessionStore"/> written once (sync, read with coverage check, sweep); adapters
/// supply the storage primitives, so every implementation numbers and retains events the same way.
/// </summary>
public abstract class SessionStoreBase : ISessionStore
{
    private const int SyncPointCacheLimit = 10_000;

    // The versions a successful sync produced, per (session, job): the next sync of the same job tries them first and
    // saves the two reads; another writer in between makes the commit fail, and the sync falls back to reading.
    private readonly ConcurrentDictionary<(string SessionId, string JobId), OutboxSyncPoint> _syncPoints = new();

    /// <inheritdoc />
    public abstract Task<bool> CreateAsync(SessionState session, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<SessionState?> GetAsync(string sessionId, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<SessionState?> TryUpdateAsync(SessionState expected, SessionState updated, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<SubscribeResult> SubscribeAsync(string sessionId, SessionSubscription subscription, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<bool> UnsubscribeAsync(string sessionId, string jobId, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<SessionSubscription?> GetSubscriptionAsync(string sessionId, string jobId, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task IndexResumeTokenAsync(string tokenHash, string sessionId, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<string?> FindSessionByResumeTokenAsync(string tokenHash, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task RemoveResumeTokenAsync(string tokenHash, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<IReadOnlyList<SessionSubscription>> GetSubscriptionsAsync(string sessionId, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<long> GetLastIssuedSeqAsync(string sessionId, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<IReadOnlyList<SessionState>> ListAttachedAsync(string connectionPrefix, int maxCount, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<IReadOnlyList<SessionState>> ListDetachedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task DeleteAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Reads the subscription row and the seq counter; null when the session does not exist.</summary>
    protected abstract Task<OutboxSyncPoint?> ReadSyncPointAsync(string sessionId, string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: the seq counter to <paramref name="nextSeq"/> and the subscription to
    /// <paramref name="subscription"/> (each only if unchanged since <paramref name="expected"/>), plus the range row.
    /// Returns the point after the commit (new versions), or null when either version changed.
    /// </summary>
    protected abstract Task<OutboxSyncPoint?> TryCommitSyncAsync(string sessionId, OutboxSyncPoint expected, SessionSubscription subscription, long nextSeq, OutboxRange range, CancellationToken cancellationToken);

    /// <summary>Range rows whose last seq is at least <paramref name="fromSeq"/>, in seq order, at most <paramref name="maxRanges"/>.</summary>
    protected abstract Task<IReadOnlyList<OutboxRange>> ReadRangesAsync(string sessionId, long fromSeq, int maxRanges, CancellationToken cancellationToken);

    /// <summary>Deletes range rows whose last seq is at most <paramref name="throughSeq"/>; returns how many.</summary>
    protected abstract Task<int> DeleteRangesThroughAsync(string sessionId, long throughSeq, CancellationToken cancellationToken);

    /// <inheritdoc />
    public async Task<OutboxSyncResult> SyncOutboxAsync(string sessionId, string jobId, long jobEventCount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var key = (sessionId, jobId);
        _syncPoints.TryGetValue(key, out var cached);
        for (var attempt = 1; ; attempt++)
        {
            var point = cached ?? await ReadSyncPointAsync(sessionId, jobId, cancellationToken).ConfigureAwait(false);
            cached = null;
            if (point?.Subscription is not { } sub)
            {
                _syncPoints.TryRemove(key, out _);
                return new OutboxSyncResult.NotSubscribed();
            }

            if (jobEventCount <= sub.DeliveredIndex)
            {
                return new OutboxSyncResult.Synced(0, sub.LastSeq);
            }

            var count = checked((int)(jobEventCount - sub.DeliveredIndex));
            var range = new OutboxRange(point.NextSeq, count, jobId, sub.DeliveredIndex + 1, sub.TraceId, sub.Redact, sub.IsSubmitter);
            var advanced = sub with { DeliveredIndex = jobEventCount, LastSeq = range.LastSeq };
            if (await TryCommitSyncAsync(sessionId, point, advanced, point.NextSeq + count, range, cancellationToken).ConfigureAwait(false) is { } committed)
            {
                if (_syncPoints.Count >= SyncPointCacheLimit)
                {
                    _syncPoints.Clear();
                }

                _syncPoints[key] = committed;
                return new OutboxSyncResult.Synced(count, range.LastSeq);
            }

            if (attempt == 1 && _syncPoints.TryRemove(key, out _))
            {
                // The cached versions were stale: read and retry at once, no backoff needed.
                continue;
            }

            // Another node synced this job or another job into the session meanwhile: re-read and map what is left.
            await ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<OutboxRead> ReadOutboxAsync(string sessionId, long afterSeq, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSeq);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var session = await GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return new OutboxRead.NotFound();
        }

        var lastIssued = await GetLastIssuedSeqAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (afterSeq + 1 < session.OutboxFloor || afterSeq > lastIssued)
        {
            return new OutboxRead.WindowExpired(session.OutboxFloor, lastIssued);
        }

        var entries = new List<OutboxEntry>(Math.Min(maxCount, 1024));
        var from = afterSeq + 1;
        while (entries.Count < maxCount && from <= lastIssued)
        {
            var ranges = await ReadRangesAsync(sessionId, from, 64, cancellationToken).ConfigureAwait(false);
            if (ranges.Count == 0)
            {
                break;
            }

            foreach (var range in ranges)
            {
                for (var seq = Math.Max(from, range.FirstSeq); seq <= range.LastSeq && entries.Count < maxCount; seq++)
                {
                    entries.Add(range.EntryAt(seq));
                }

                from = Math.Max(from, range.LastSeq + 1);
                if (entries.Count >= maxCount)
                {
                    break;
                }
            }
        }

        return new OutboxRead.Entries(entries, lastIssued);
    }

    /// <inheritdoc />
    public async Task<int> SweepAcknowledgedAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        for (var attempt = 1; ; attempt++)
        {
            var session = await GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
            if (session is null || session.LastAckedSeq < session.OutboxFloor)
            {
                return 0;
            }

            // Raise the floor first: a reader between the two writes then reports "expired" instead of missing rows.
            var raised = await TryUpdateAsync(session, session with { OutboxFloor = session.LastAckedSeq + 1 }, cancellationToken).ConfigureAwait(false);
            if (raised is not null)
            {
                return await DeleteRangesThroughAsync(sessionId, session.LastAckedSeq, cancellationToken).ConfigureAwait(false);
            }

            await ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
        }
    }
}

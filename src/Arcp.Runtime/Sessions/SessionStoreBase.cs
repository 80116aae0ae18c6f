using Arcp.Runtime.Storage;

namespace Arcp.Runtime.Sessions;

/// <summary>
/// The outbox decisions of <see cref="ISessionStore"/> written once (sync, read with coverage check, sweep); adapters
/// supply the storage primitives, so every implementation numbers and retains events the same way.
/// </summary>
public abstract class SessionStoreBase : ISessionStore
{
    private const int SyncPointCacheLimit = 10_000;
    private const int RangesPerRead = 64;

    // A transaction holds at most 100 entities: the seq counter plus a subscription and a range row per job.
    private const int MaxJobsPerSyncCommit = 49;

    // The last versions this node wrote of each session's seq counter and of each subscription row (by a sync, or by
    // the subscribe that created it): a sync that finds both tries them first and saves its read. Another writer in
    // between makes the commit fail, and the sync falls back to reading.
    private readonly NodeLocalCache<string, (long NextSeq, string Version)> _seqVersions = new(SyncPointCacheLimit, StringComparer.Ordinal);
    private readonly NodeLocalCache<(string SessionId, string JobId), (SessionSubscription Subscription, string Version)> _subscriptionVersions = new(SyncPointCacheLimit);

    // Syncs of one session on this node go one at a time: a second sync (a delivery pull beside the fan-out) then
    // starts from the versions the first one wrote and finds its events mapped, instead of committing on the same
    // versions and failing — a write billed for nothing, a re-read and a backoff.
    private readonly KeyedGate _syncGates = new();

    private readonly RecentOutboxRanges _recent = new();

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
    public abstract Task<IReadOnlyList<AttachedSession>> ListAttachedAsync(string connectionPrefix, int maxCount, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task ForgetAttachedAsync(AttachedSession attached, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task<IReadOnlyList<SessionState>> ListDetachedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract Task DeleteAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the seq counter and the subscription rows of <paramref name="jobIds"/> (at once); null when the session
    /// does not exist.
    /// </summary>
    protected abstract Task<OutboxSyncPoint?> ReadSyncPointAsync(string sessionId, IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: the seq counter to <paramref name="nextSeq"/> (only if it still has
    /// <paramref name="seqVersion"/>), and for each write its subscription (only if unchanged) and its range row.
    /// Returns the new versions, or null when any version changed.
    /// </summary>
    protected abstract Task<OutboxSyncCommit?> TryCommitSyncAsync(string sessionId, string seqVersion, long nextSeq, IReadOnlyList<OutboxSyncWrite> writes, CancellationToken cancellationToken);

    /// <summary>Range rows whose last seq is at least <paramref name="fromSeq"/>, in seq order, at most <paramref name="maxRanges"/>.</summary>
    protected abstract Task<IReadOnlyList<OutboxRange>> ReadRangesAsync(string sessionId, long fromSeq, int maxRanges, CancellationToken cancellationToken);

    /// <summary>Deletes range rows whose last seq is at most <paramref name="throughSeq"/>; returns how many.</summary>
    protected abstract Task<int> DeleteRangesThroughAsync(string sessionId, long throughSeq, CancellationToken cancellationToken);

    /// <inheritdoc />
    public async Task<OutboxSyncResult> SyncOutboxAsync(string sessionId, string jobId, long jobEventCount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var results = await SyncOutboxAsync(sessionId, [new OutboxSyncTarget(jobId, jobEventCount)], cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxSyncResult>> SyncOutboxAsync(string sessionId, IReadOnlyList<OutboxSyncTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(targets);
        using (await _syncGates.EnterAsync(sessionId, cancellationToken).ConfigureAwait(false))
        {
            return await SyncGatedAsync(sessionId, targets, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<OutboxSyncResult>> SyncGatedAsync(string sessionId, IReadOnlyList<OutboxSyncTarget> targets, CancellationToken cancellationToken)
    {
        var results = new OutboxSyncResult[targets.Count];
        // One entry per job (the highest count asked for); each job's result goes to every position that named it.
        var pending = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            ArgumentException.ThrowIfNullOrEmpty(target.JobId);
            pending[target.JobId] = Math.Max(pending.GetValueOrDefault(target.JobId), target.JobEventCount);
        }

        var useCache = true;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var cached = useCache ? CachedSyncPoint(sessionId, pending.Keys) : null;
            var point = cached ?? await ReadSyncPointAsync(sessionId, pending.Keys, cancellationToken).ConfigureAwait(false);
            if (point is null)
            {
                foreach (var jobId in pending.Keys)
                {
                    _subscriptionVersions.Remove((sessionId, jobId));
                    SetResult(results, targets, jobId, new OutboxSyncResult.NotSubscribed());
                }

                break;
            }

            var writes = new List<OutboxSyncWrite>();
            var finished = new List<string>();
            var nextSeq = point.NextSeq;
            foreach (var (jobId, jobEventCount) in pending)
            {
                if (!point.Subscriptions.TryGetValue(jobId, out var versioned))
                {
                    _subscriptionVersions.Remove((sessionId, jobId));
                    SetResult(results, targets, jobId, new OutboxSyncResult.NotSubscribed());
                    finished.Add(jobId);
                    continue;
                }

                var sub = versioned.Subscription;
                if (jobEventCount <= sub.DeliveredIndex)
                {
                    SetResult(results, targets, jobId, new OutboxSyncResult.Synced(0, sub.LastSeq));
                    finished.Add(jobId);
                    continue;
                }

                if (writes.Count == MaxJobsPerSyncCommit)
                {
                    // The transaction is full (seq row + a subscription and a range per job): the rest go next round.
                    continue;
                }

                var count = checked((int)(jobEventCount - sub.DeliveredIndex));
                var range = new OutboxRange(nextSeq, count, jobId, sub.DeliveredIndex + 1, sub.TraceId, sub.Redact, sub.IsSubmitter);
                writes.Add(new OutboxSyncWrite(sub with { DeliveredIndex = jobEventCount, LastSeq = range.LastSeq }, versioned.Version, range));
                nextSeq += count;
            }

            foreach (var done in finished)
            {
                pending.Remove(done);
            }

            if (writes.Count == 0)
            {
                break;
            }

            if (await TryCommitSyncAsync(sessionId, point.SeqVersion, nextSeq, writes, cancellationToken).ConfigureAwait(false) is { } committed)
            {
                RememberSeqVersion(sessionId, nextSeq, committed.SeqVersion);
                _recent.Committed(sessionId, writes.Select(w => w.Range));
                for (var i = 0; i < writes.Count; i++)
                {
                    var write = writes[i];
                    RememberSubscription(sessionId, write.Subscription, committed.SubscriptionVersions[i]);
                    SetResult(results, targets, write.Range.JobId, new OutboxSyncResult.Synced(write.Range.Count, write.Range.LastSeq));
                    pending.Remove(write.Range.JobId);
                }

                useCache = true;
                attempt = 0;
                continue;
            }

            useCache = false;
            if (cached is not null)
            {
                // The cached versions were stale: read and retry at once, no backoff needed.
                _seqVersions.Remove(sessionId);
                foreach (var jobId in pending.Keys)
                {
                    _subscriptionVersions.Remove((sessionId, jobId));
                }

                continue;
            }

            // Another node synced into the session meanwhile: re-read and map what is left.
            await ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    private static void SetResult(OutboxSyncResult[] results, IReadOnlyList<OutboxSyncTarget> targets, string jobId, OutboxSyncResult result)
    {
        for (var i = 0; i < targets.Count; i++)
        {
            if (string.Equals(targets[i].JobId, jobId, StringComparison.Ordinal))
            {
                results[i] = result;
            }
        }
    }

    /// <summary>Adapters call this with the version of a subscription row they just created.</summary>
    protected void RememberSubscription(string sessionId, SessionSubscription subscription, string version)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        _subscriptionVersions.Set((sessionId, subscription.JobId), (subscription, version));
    }

    /// <summary>Whether this node wrote or read the session's seq counter (so the session exists, bar a deletion since).</summary>
    protected bool KnowsSession(string sessionId) => _seqVersions.TryGet(sessionId, out _);

    /// <summary>Adapters call this when they deleted a session.</summary>
    protected void ForgetSession(string sessionId)
    {
        _seqVersions.Remove(sessionId);
        _recent.Forget(sessionId);
    }

    /// <summary>Adapters call this with the version of a seq counter row they just wrote.</summary>
    protected void RememberSeqVersion(string sessionId, long nextSeq, string version) => _seqVersions.Set(sessionId, (nextSeq, version));

    private OutboxSyncPoint? CachedSyncPoint(string sessionId, IEnumerable<string> jobIds)
    {
        if (!_seqVersions.TryGet(sessionId, out var seq))
        {
            return null;
        }

        var subscriptions = new Dictionary<string, VersionedSubscription>(StringComparer.Ordinal);
        foreach (var jobId in jobIds)
        {
            if (!_subscriptionVersions.TryGet((sessionId, jobId), out var sub))
            {
                return null;
            }

            subscriptions[jobId] = new VersionedSubscription(sub.Subscription, sub.Version);
        }

        return new OutboxSyncPoint(seq.NextSeq, seq.Version, subscriptions);
    }

    /// <inheritdoc />
    public OutboxRead.Entries? ReadRecentOutbox(string sessionId, long afterSeq, int maxCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return _recent.Read(sessionId, afterSeq, maxCount);
    }

    /// <inheritdoc />
    public async Task<OutboxRead> ReadOutboxAsync(string sessionId, long afterSeq, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSeq);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        // The session row, the seq counter and the first ranges do not depend on each other: one round trip, not three.
        var sessionRead = GetAsync(sessionId, cancellationToken);
        var lastIssuedRead = GetLastIssuedSeqAsync(sessionId, cancellationToken);
        var firstRangesRead = ReadRangesAsync(sessionId, afterSeq + 1, RangesPerRead, cancellationToken);
        await Task.WhenAll(sessionRead, lastIssuedRead, firstRangesRead).ConfigureAwait(false);
        var session = await sessionRead.ConfigureAwait(false);
        if (session is null)
        {
            return new OutboxRead.NotFound();
        }

        var lastIssued = await lastIssuedRead.ConfigureAwait(false);
        if (afterSeq + 1 < session.OutboxFloor || afterSeq > lastIssued)
        {
            return new OutboxRead.WindowExpired(session.OutboxFloor, lastIssued);
        }

        var entries = new List<OutboxEntry>(Math.Min(maxCount, 1024));
        var from = afterSeq + 1;
        var ranges = await firstRangesRead.ConfigureAwait(false);
        while (entries.Count < maxCount && from <= lastIssued)
        {
            ranges ??= await ReadRangesAsync(sessionId, from, RangesPerRead, cancellationToken).ConfigureAwait(false);
            if (ranges.Count == 0)
            {
                break;
            }

            foreach (var range in ranges)
            {
                // Ranges committed after the counter was read are left for the next read.
                for (var seq = Math.Max(from, range.FirstSeq); seq <= Math.Min(range.LastSeq, lastIssued) && entries.Count < maxCount; seq++)
                {
                    entries.Add(range.EntryAt(seq));
                }

                from = Math.Max(from, range.LastSeq + 1);
                if (entries.Count >= maxCount)
                {
                    break;
                }
            }

            ranges = null;
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

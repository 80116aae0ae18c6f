namespace Arcp.Runtime.Sessions;

/// <summary>
/// The session partition: <c>meta</c>, the <c>seq</c> counter, one <c>sub:&lt;jobId&gt;</c> row per job the session
/// receives, and the outbox as range rows. Seq allocation and outbox insert are one transaction, so event_seq is
/// gap-free and survives reconnects.
/// </summary>
public interface ISessionStore
{
    /// <summary>Writes a new session. Returns false when the id exists.</summary>
    Task<bool> CreateAsync(SessionState session, CancellationToken cancellationToken);

    /// <summary>Reads the session meta, or null.</summary>
    Task<SessionState?> GetAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Replaces the meta row if it still has <paramref name="expected"/>'s version; null when it changed.</summary>
    Task<SessionState?> TryUpdateAsync(SessionState expected, SessionState updated, CancellationToken cancellationToken);

    /// <summary>Starts delivering a job's events from job event index <paramref name="subscription"/>.DeliveredIndex + 1.</summary>
    Task<SubscribeResult> SubscribeAsync(string sessionId, SessionSubscription subscription, CancellationToken cancellationToken);

    /// <summary>Stops delivering a job's events. Returns false when there was no subscription.</summary>
    Task<bool> UnsubscribeAsync(string sessionId, string jobId, CancellationToken cancellationToken);

    /// <summary>One subscription row, or null.</summary>
    Task<SessionSubscription?> GetSubscriptionAsync(string sessionId, string jobId, CancellationToken cancellationToken);

    /// <summary>Makes a resume token hash findable (the hash of the token the session currently accepts).</summary>
    Task IndexResumeTokenAsync(string tokenHash, string sessionId, CancellationToken cancellationToken);

    /// <summary>The session a resume token hash was issued for, or null. Callers still compare it with the session's current hash.</summary>
    Task<string?> FindSessionByResumeTokenAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Forgets a resume token hash (after rotation).</summary>
    Task RemoveResumeTokenAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Every job the session receives.</summary>
    Task<IReadOnlyList<SessionSubscription>> GetSubscriptionsAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Maps job events up to <paramref name="jobEventCount"/> that are not yet in the outbox into new seqs, in one
    /// transaction {seq, sub, range row}. Idempotent and safe to run concurrently from any node.
    /// </summary>
    Task<OutboxSyncResult> SyncOutboxAsync(string sessionId, string jobId, long jobEventCount, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="SyncOutboxAsync(string, string, long, CancellationToken)"/> for several jobs of one session at once,
    /// so jobs streaming into one session share the seq counter's round trip instead of racing for it. Results are in
    /// the order of <paramref name="targets"/>. Stores that cannot batch sync one job after the other.
    /// </summary>
    async Task<IReadOnlyList<OutboxSyncResult>> SyncOutboxAsync(string sessionId, IReadOnlyList<OutboxSyncTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var results = new OutboxSyncResult[targets.Count];
        for (var i = 0; i < targets.Count; i++)
        {
            results[i] = await SyncOutboxAsync(sessionId, targets[i].JobId, targets[i].JobEventCount, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>
    /// Outbox entries right after <paramref name="afterSeq"/> that this node itself committed and still holds in
    /// memory, consecutive, without a storage read; null when it does not hold that seq. No floor or session check:
    /// only for a live connection continuing from what it was sent, never for a resume.
    /// </summary>
    OutboxRead.Entries? ReadRecentOutbox(string sessionId, long afterSeq, int maxCount) => null;

    /// <summary>Reads up to <paramref name="maxCount"/> outbox entries with seq greater than <paramref name="afterSeq"/>.</summary>
    Task<OutboxRead> ReadOutboxAsync(string sessionId, long afterSeq, int maxCount, CancellationToken cancellationToken);

    /// <summary>The highest seq issued so far (0 when none).</summary>
    Task<long> GetLastIssuedSeqAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Deletes outbox rows wholly at or below the acknowledged seq and raises the floor. Returns rows removed.</summary>
    Task<int> SweepAcknowledgedAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Sessions attached to a connection whose id starts with <paramref name="connectionPrefix"/>, for a transport's
    /// sweep: hints that may lag the sessions (see <see cref="AttachedSession"/>), so listing costs no read per session.
    /// </summary>
    Task<IReadOnlyList<AttachedSession>> ListAttachedAsync(string connectionPrefix, int maxCount, CancellationToken cancellationToken);

    /// <summary>Drops a hint that <see cref="ListAttachedAsync"/> returned and the reader found stale (its session detached, moved to another connection, or gone).</summary>
    Task ForgetAttachedAsync(AttachedSession attached, CancellationToken cancellationToken);

    /// <summary>Sessions detached before <paramref name="cutoff"/> (their resume window is over).</summary>
    Task<IReadOnlyList<SessionState>> ListDetachedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken);

    /// <summary>Deletes the whole session (after its resume window ended).</summary>
    Task DeleteAsync(string sessionId, CancellationToken cancellationToken);
}

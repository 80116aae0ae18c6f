using Arcp.Runtime.Sessions;
using Azure;

namespace Arcp.Testing;

/// <summary>
/// Wraps a session store and makes outbox syncs of chosen jobs fail with 503, as a storage outage would: either the
/// next <see cref="FailNextSyncs"/> syncs, or every sync while <see cref="Outage"/> is set.
/// </summary>
public sealed class SyncFaultSessionStore(ISessionStore inner) : ISessionStore
{
    private int _failNext;
    private int _failed;
    private volatile bool _outage;

    /// <summary>The job whose syncs fail; null: every job.</summary>
    public string? JobId { get; set; }

    /// <summary>Fails this many more syncs of <see cref="JobId"/>, then lets them through.</summary>
    public int FailNextSyncs
    {
        get => Volatile.Read(ref _failNext);
        set => Volatile.Write(ref _failNext, value);
    }

    /// <summary>While set, every sync of <see cref="JobId"/> fails.</summary>
    public bool Outage
    {
        get => _outage;
        set => _outage = value;
    }

    /// <summary>Syncs failed so far.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Added to every outbox sync (a slow storage round trip).</summary>
    public TimeSpan SyncDelay { get; set; }

    /// <inheritdoc />
    public async Task<OutboxSyncResult> SyncOutboxAsync(string sessionId, string jobId, long jobEventCount, CancellationToken cancellationToken)
    {
        if (SyncDelay > TimeSpan.Zero)
        {
            await Task.Delay(SyncDelay, cancellationToken);
        }

        if ((JobId is null || JobId == jobId) && (_outage || TryTakeFailure()))
        {
            Interlocked.Increment(ref _failed);
            throw new RequestFailedException(503, "The server is busy.", "ServerBusy", null);
        }

        return await inner.SyncOutboxAsync(sessionId, jobId, jobEventCount, cancellationToken);
    }

    private bool TryTakeFailure()
    {
        while (true)
        {
            var left = Volatile.Read(ref _failNext);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _failNext, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    /// <inheritdoc />
    public Task<bool> CreateAsync(SessionState session, CancellationToken cancellationToken) => inner.CreateAsync(session, cancellationToken);

    /// <inheritdoc />
    public Task<SessionState?> GetAsync(string sessionId, CancellationToken cancellationToken) => inner.GetAsync(sessionId, cancellationToken);

    /// <inheritdoc />
    public Task<SessionState?> TryUpdateAsync(SessionState expected, SessionState updated, CancellationToken cancellationToken) => inner.TryUpdateAsync(expected, updated, cancellationToken);

    /// <inheritdoc />
    public Task<SubscribeResult> SubscribeAsync(string sessionId, SessionSubscription subscription, CancellationToken cancellationToken) => inner.SubscribeAsync(sessionId, subscription, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UnsubscribeAsync(string sessionId, string jobId, CancellationToken cancellationToken) => inner.UnsubscribeAsync(sessionId, jobId, cancellationToken);

    /// <inheritdoc />
    public Task<SessionSubscription?> GetSubscriptionAsync(string sessionId, string jobId, CancellationToken cancellationToken) => inner.GetSubscriptionAsync(sessionId, jobId, cancellationToken);

    /// <inheritdoc />
    public Task IndexResumeTokenAsync(string tokenHash, string sessionId, CancellationToken cancellationToken) => inner.IndexResumeTokenAsync(tokenHash, sessionId, cancellationToken);

    /// <inheritdoc />
    public Task<string?> FindSessionByResumeTokenAsync(string tokenHash, CancellationToken cancellationToken) => inner.FindSessionByResumeTokenAsync(tokenHash, cancellationToken);

    /// <inheritdoc />
    public Task RemoveResumeTokenAsync(string tokenHash, CancellationToken cancellationToken) => inner.RemoveResumeTokenAsync(tokenHash, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionSubscription>> GetSubscriptionsAsync(string sessionId, CancellationToken cancellationToken) => inner.GetSubscriptionsAsync(sessionId, cancellationToken);

    /// <inheritdoc />
    public Task<OutboxRead> ReadOutboxAsync(string sessionId, long afterSeq, int maxCount, CancellationToken cancellationToken) => inner.ReadOutboxAsync(sessionId, afterSeq, maxCount, cancellationToken);

    /// <inheritdoc />
    public Task<long> GetLastIssuedSeqAsync(string sessionId, CancellationToken cancellationToken) => inner.GetLastIssuedSeqAsync(sessionId, cancellationToken);

    /// <inheritdoc />
    public Task<int> SweepAcknowledgedAsync(string sessionId, CancellationToken cancellationToken) => inner.SweepAcknowledgedAsync(sessionId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AttachedSession>> ListAttachedAsync(string connectionPrefix, int maxCount, CancellationToken cancellationToken) => inner.ListAttachedAsync(connectionPrefix, maxCount, cancellationToken);

    /// <inheritdoc />
    public Task ForgetAttachedAsync(AttachedSession attached, CancellationToken cancellationToken) => inner.ForgetAttachedAsync(attached, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionState>> ListDetachedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken) => inner.ListDetachedBeforeAsync(cutoff, maxCount, cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(string sessionId, CancellationToken cancellationToken) => inner.DeleteAsync(sessionId, cancellationToken);
}

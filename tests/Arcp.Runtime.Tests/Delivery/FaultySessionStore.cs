using Arcp.Runtime.Sessions;

namespace Arcp.Runtime.Tests.Delivery;

/// <summary>Wraps a session store: outbox syncs can be slowed down or made to fail, as storage trouble would.</summary>
internal sealed class FaultySessionStore(ISessionStore inner) : ISessionStore
{
    private int _syncFailuresLeft;

    /// <summary>Added to every outbox sync.</summary>
    public TimeSpan SyncDelay { get; set; }

    /// <summary>The next <paramref name="count"/> outbox syncs throw.</summary>
    public void FailSyncs(int count) => Volatile.Write(ref _syncFailuresLeft, count);

    public int SyncFailuresLeft => Volatile.Read(ref _syncFailuresLeft);

    public async Task<OutboxSyncResult> SyncOutboxAsync(string sessionId, string jobId, long jobEventCount, CancellationToken cancellationToken)
    {
        if (SyncDelay > TimeSpan.Zero)
        {
            await Task.Delay(SyncDelay, cancellationToken);
        }

        if (Interlocked.Decrement(ref _syncFailuresLeft) >= 0)
        {
            throw new IOException("storage unavailable (test)");
        }

        Interlocked.Exchange(ref _syncFailuresLeft, 0);
        return await inner.SyncOutboxAsync(sessionId, jobId, jobEventCount, cancellationToken);
    }

    public Task<bool> CreateAsync(SessionState session, CancellationToken cancellationToken) => inner.CreateAsync(session, cancellationToken);

    public Task<SessionState?> GetAsync(string sessionId, CancellationToken cancellationToken) => inner.GetAsync(sessionId, cancellationToken);

    public Task<SessionState?> TryUpdateAsync(SessionState expected, SessionState updated, CancellationToken cancellationToken) => inner.TryUpdateAsync(expected, updated, cancellationToken);

    public Task<SubscribeResult> SubscribeAsync(string sessionId, SessionSubscription subscription, CancellationToken cancellationToken) => inner.SubscribeAsync(sessionId, subscription, cancellationToken);

    public Task<bool> UnsubscribeAsync(string sessionId, string jobId, CancellationToken cancellationToken) => inner.UnsubscribeAsync(sessionId, jobId, cancellationToken);

    public Task<SessionSubscription?> GetSubscriptionAsync(string sessionId, string jobId, CancellationToken cancellationToken) => inner.GetSubscriptionAsync(sessionId, jobId, cancellationToken);

    public Task IndexResumeTokenAsync(string tokenHash, string sessionId, CancellationToken cancellationToken) => inner.IndexResumeTokenAsync(tokenHash, sessionId, cancellationToken);

    public Task<string?> FindSessionByResumeTokenAsync(string tokenHash, CancellationToken cancellationToken) => inner.FindSessionByResumeTokenAsync(tokenHash, cancellationToken);

    public Task RemoveResumeTokenAsync(string tokenHash, CancellationToken cancellationToken) => inner.RemoveResumeTokenAsync(tokenHash, cancellationToken);

    public Task<IReadOnlyList<SessionSubscription>> GetSubscriptionsAsync(string sessionId, CancellationToken cancellationToken) => inner.GetSubscriptionsAsync(sessionId, cancellationToken);

    public Task<OutboxRead> ReadOutboxAsync(string sessionId, long afterSeq, int maxCount, CancellationToken cancellationToken) => inner.ReadOutboxAsync(sessionId, afterSeq, maxCount, cancellationToken);

    public Task<long> GetLastIssuedSeqAsync(string sessionId, CancellationToken cancellationToken) => inner.GetLastIssuedSeqAsync(sessionId, cancellationToken);

    public Task<int> SweepAcknowledgedAsync(string sessionId, CancellationToken cancellationToken) => inner.SweepAcknowledgedAsync(sessionId, cancellationToken);

    public Task<IReadOnlyList<SessionState>> ListAttachedAsync(string connectionPrefix, int maxCount, CancellationToken cancellationToken) => inner.ListAttachedAsync(connectionPrefix, maxCount, cancellationToken);

    public Task<IReadOnlyList<SessionState>> ListDetachedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken) => inner.ListDetachedBeforeAsync(cutoff, maxCount, cancellationToken);

    public Task DeleteAsync(string sessionId, CancellationToken cancellationToken) => inner.DeleteAsync(sessionId, cancellationToken);
}

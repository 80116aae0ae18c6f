namespace Arcp.Runtime.Delivery;

/// <summary>
/// Marks of outbox syncs that failed: one small row per (session, job) written when a sync fails and removed when a
/// later one succeeds, so the sweeper re-syncs exactly those outboxes without scanning every session.
/// </summary>
public interface IOutboxSyncMarks
{
    /// <summary>Records that the sync of <paramref name="jobId"/> into <paramref name="sessionId"/> is owed (idempotent).</summary>
    Task MarkAsync(string sessionId, string jobId, CancellationToken cancellationToken);

    /// <summary>Removes the mark (idempotent).</summary>
    Task ClearAsync(string sessionId, string jobId, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="maxCount"/> marks, oldest first where the store can tell.</summary>
    Task<IReadOnlyList<OutboxSyncMark>> ListAsync(int maxCount, CancellationToken cancellationToken);
}

/// <summary>An owed outbox sync.</summary>
/// <param name="SessionId">The session whose outbox lags.</param>
/// <param name="JobId">The job whose events it lacks.</param>
public sealed record OutboxSyncMark(string SessionId, string JobId);

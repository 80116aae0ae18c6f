using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;

namespace Arcp.Runtime.Delivery;

/// <summary>
/// Maps events that jobs appended since a session last looked into the session's outbox. Every delivery path pulls
/// this way before it sends, so a fan-out lost to a crash, or written by another node, only delays delivery.
/// </summary>
public static class SubscriptionPull
{
    /// <summary>Syncs the outbox for each subscription whose job holds events past its delivered index (idempotent).</summary>
    public static async Task PullAsync(ISessionStore sessions, IJobStore jobs, string sessionId, IEnumerable<SessionSubscription> subscriptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(subscriptions);
        foreach (var sub in subscriptions)
        {
            var job = await jobs.GetAsync(sub.JobId, cancellationToken).ConfigureAwait(false);
            if (job is not null && job.EventCount > sub.DeliveredIndex)
            {
                await sessions.SyncOutboxAsync(sessionId, sub.JobId, job.EventCount, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

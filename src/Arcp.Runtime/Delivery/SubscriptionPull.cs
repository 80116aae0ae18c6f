using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Arcp.Runtime.Delivery;

/// <summary>
/// Maps events that jobs appended since a session last looked into the session's outbox. Every delivery path pulls
/// this way before it sends, so a fan-out lost to a crash, or written by another node, only delays delivery.
/// </summary>
internal static partial class SubscriptionPull
{
    /// <summary>
    /// Syncs the outbox for each subscription whose job holds events past its delivered index (idempotent). A job
    /// whose read or sync fails is skipped, not thrown: the pull exists to repair failed syncs, so the storage trouble
    /// that failed the fan-out must not also end the delivery that would retry it; the next pull tries again.
    /// </summary>
    /// <remarks><paramref name="read"/>, when given, sees each subscription with the job state read for it, so the
    /// caller learns that a job is over without a read of its own.</remarks>
    /// <returns>How many subscriptions could not be pulled this time.</returns>
    public static async Task<int> PullAsync(ISessionStore sessions, IJobStore jobs, string sessionId, IEnumerable<SessionSubscription> subscriptions, CancellationToken cancellationToken, ILogger? logger = null, Action<SessionSubscription, JobState>? read = null)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(subscriptions);
        var failed = 0;
        foreach (var sub in subscriptions)
        {
            try
            {
                var job = await jobs.GetAsync(sub.JobId, cancellationToken).ConfigureAwait(false);
                if (job is not null)
                {
                    read?.Invoke(sub, job);
                }

                if (job is not null && job.EventCount > sub.DeliveredIndex)
                {
                    await sessions.SyncOutboxAsync(sessionId, sub.JobId, job.EventCount, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogPullFailed(logger ?? NullLogger.Instance, ex, sub.JobId, sessionId);
                failed++;
            }
        }

        return failed;
    }

    [LoggerMessage(EventId = 2305, Level = LogLevel.Warning, Message = "Pulling job {JobId} into session {SessionId} failed; the next pull retries")]
    private static partial void LogPullFailed(ILogger logger, Exception exception, string jobId, string sessionId);
}

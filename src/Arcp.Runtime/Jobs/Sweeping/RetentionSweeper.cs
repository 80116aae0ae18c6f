using Arcp.Runtime.Idempotency;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Jobs.Sweeping;

/// <summary>
/// Garbage collection past the retention windows: sessions whose resume window ended after they detached are
/// deleted; events of jobs finished longer ago than <see cref="JobSweeperOptions.EventRetention"/> are purged (their
/// state row stays, so listings still show the outcome, and reading the events then reports "window expired");
/// idempotency keys older than <see cref="JobSweeperOptions.IdempotencyRetention"/> are forgotten.
/// </summary>
public sealed partial class RetentionSweeper(
    IJobStore jobs,
    ISessionStore sessions,
    IIdempotencyStore idempotency,
    TimeProvider timeProvider,
    IOptions<JobSweeperOptions> options,
    IOptions<ArcpSessionOptions> sessionOptions,
    ILogger<RetentionSweeper> logger)
{
    /// <summary>One pass; returns (sessions deleted, jobs purged, keys forgotten).</summary>
    public async Task<(int Sessions, int Jobs, int Keys)> PruneAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var settings = options.Value;
        var deletedSessions = 0;
        foreach (var session in await sessions.ListDetachedBeforeAsync(now - TimeSpan.FromSeconds(sessionOptions.Value.ResumeWindowSec), settings.MaxJobsPerSweep, cancellationToken).ConfigureAwait(false))
        {
            await sessions.DeleteAsync(session.SessionId, cancellationToken).ConfigureAwait(false);
            foreach (var hash in new[] { session.ResumeTokenHash, session.PreviousResumeTokenHash }.OfType<string>())
            {
                await sessions.RemoveResumeTokenAsync(hash, cancellationToken).ConfigureAwait(false);
            }

            deletedSessions++;
        }

        var purgedJobs = 0;
        foreach (var job in await jobs.ListFinishedBeforeAsync(now - settings.EventRetention, settings.MaxJobsPerSweep, cancellationToken).ConfigureAwait(false))
        {
            purgedJobs += await jobs.PurgeEventsAsync(job.JobId, cancellationToken).ConfigureAwait(false) > 0 ? 1 : 0;
        }

        var keys = await idempotency.SweepAsync(now - settings.IdempotencyRetention, cancellationToken).ConfigureAwait(false);
        if (deletedSessions + purgedJobs + keys > 0)
        {
            LogPruned(logger, deletedSessions, purgedJobs, keys);
        }

        return (deletedSessions, purgedJobs, keys);
    }

    [LoggerMessage(EventId = 2511, Level = LogLevel.Information, Message = "Retention sweep: {Sessions} expired sessions deleted, events of {Jobs} old jobs purged, {Keys} idempotency keys forgotten")]
    private static partial void LogPruned(ILogger logger, int sessions, int jobs, int keys);
}

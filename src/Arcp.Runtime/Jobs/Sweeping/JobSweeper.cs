using Arcp.Runtime.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Jobs.Sweeping;

/// <summary>
/// One sweep over the jobs that have not ended: starts the execution of accepted jobs whose instance is missing (the
/// process died between <c>job.accepted</c> and the start) and re-syncs each submitter's outbox (a fan-out lost to a
/// crash). Both repairs are idempotent, so any node may sweep at any time. Hosts call it on a timer.
/// </summary>
public sealed partial class JobSweeper(
    IJobStore jobs,
    ISessionStore sessions,
    RetentionSweeper retention,
    TimeProvider timeProvider,
    IOptions<JobSweeperOptions> options,
    ILogger<JobSweeper> logger)
{
    /// <summary>Sweeps once, starting missing instances through <paramref name="scheduler"/>.</summary>
    public async Task<JobSweepResult> SweepAsync(IJobScheduler scheduler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var settings = options.Value;
        var active = await jobs.ListNonTerminalAsync(settings.MaxJobsPerSweep, cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        int started = 0, synced = 0, failed = 0;
        foreach (var state in active)
        {
            var definition = state.Definition;
            try
            {
                if (now - definition.CreatedAt >= settings.StartMissingAfter
                    && await scheduler.GetInstanceStatusAsync(definition.JobId, cancellationToken).ConfigureAwait(false) == JobInstanceStatus.Missing)
                {
                    await scheduler.StartAsync(new JobStartRequest(definition.JobId, definition.MaxRuntimeSec, definition.ExpiresAt), cancellationToken).ConfigureAwait(false);
                    LogStartedMissing(logger, definition.JobId);
                    started++;
                }

                await sessions.SyncOutboxAsync(definition.SubmitterSessionId, definition.JobId, state.EventCount, cancellationToken).ConfigureAwait(false);
                synced++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogJobFailed(logger, ex, definition.JobId);
                failed++;
            }
        }

        try
        {
            await retention.PruneAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogJobFailed(logger, ex, "(retention)");
        }

        var result = new JobSweepResult(active.Count, started, synced, failed);
        if (active.Count > 0)
        {
            LogSwept(logger, result.Examined, result.Started, result.Synced, result.Failed);
        }

        return result;
    }

    [LoggerMessage(EventId = 2501, Level = LogLevel.Warning, Message = "Sweeper started the missing execution of job {JobId}")]
    private static partial void LogStartedMissing(ILogger logger, string jobId);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Sweeper could not repair job {JobId}; the next sweep retries")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Debug, Message = "Sweep: {Examined} unfinished jobs, {Started} started, {Synced} outboxes synced, {Failed} failed")]
    private static partial void LogSwept(ILogger logger, int examined, int started, int synced, int failed);
}

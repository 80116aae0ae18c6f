using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs.Orchestration;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Jobs.Sweeping;

/// <summary>
/// One sweep over the jobs that have not ended: starts the execution of accepted jobs whose instance is missing (the
/// process died between <c>job.accepted</c> and the start), ends jobs whose execution ended without a terminal (a
/// failed or terminated instance), re-syncs each submitter's outbox (a fan-out lost to a crash) and every outbox whose
/// sync failed and is still marked as owed (finished jobs included). Every repair is
/// idempotent, so any node may sweep at any time. Hosts call it on a timer.
/// </summary>
/// <remarks>
/// A job whose instance failed or was terminated is ended, not restarted: a Durable instance fails only after
/// <c>FinishJob</c> exhausted its retries, when the job's outcome (cancel, deadline, failed worker) was already
/// decided and only its terminal write was lost; a terminated instance was stopped by an operator. A restart would
/// run the agent again past its decided outcome and restart its runtime clock. The terminal goes through
/// <see cref="FinishJobActivity"/>'s conditional write, so a runner that ends the job at the same time yields or wins,
/// never both. Each sweep looks at up to <see cref="JobSweeperOptions.MaxJobsPerSweep"/> jobs and continues where the
/// previous one stopped, so successive sweeps reach every unfinished job however many there are.
/// </remarks>
public sealed partial class JobSweeper(
    IJobStore jobs,
    ISessionStore sessions,
    RetentionSweeper retention,
    FinishJobActivity finisher,
    RevokeCredentialsActivity revoker,
    OutboxSyncRepair outboxRepair,
    JobService jobService,
    TimeProvider timeProvider,
    IOptions<JobSweeperOptions> options,
    ILogger<JobSweeper> logger)
{
    private readonly Lock _cursorLock = new();
    private string? _cursor;
    private long _nextRetentionTicks;

    /// <summary>Sweeps once, starting missing instances through <paramref name="scheduler"/>.</summary>
    public async Task<JobSweepResult> SweepAsync(IJobScheduler scheduler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var settings = options.Value;
        var budget = Math.Max(1, settings.MaxJobsPerSweep);
        string? cursor;
        lock (_cursorLock)
        {
            cursor = _cursor;
        }

        int examined = 0, started = 0, ended = 0, synced = 0, failed = 0;
        while (examined < budget)
        {
            var page = await jobs.ListNonTerminalPageAsync(cursor, budget - examined, cancellationToken).ConfigureAwait(false);
            foreach (var state in page.Jobs)
            {
                examined++;
                try
                {
                    switch (await RepairAsync(scheduler, state, settings, cancellationToken).ConfigureAwait(false))
                    {
                        case Repair.Started:
                            started++;
                            break;
                        case Repair.Ended:
                            ended++;
                            break;
                    }

                    await sessions.SyncOutboxAsync(state.Definition.SubmitterSessionId, state.JobId, state.EventCount, cancellationToken).ConfigureAwait(false);
                    synced++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogJobFailed(logger, ex, state.JobId);
                    failed++;
                }
            }

            cursor = page.Continuation;
            if (cursor is null)
            {
                break;
            }
        }

        lock (_cursorLock)
        {
            _cursor = cursor;
        }

        var resynced = 0;
        try
        {
            resynced = await outboxRepair.RepairMarkedAsync(budget, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogJobFailed(logger, ex, "(outbox marks)");
        }

        try
        {
            if (RetentionDue(settings))
            {
                await retention.PruneAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogJobFailed(logger, ex, "(retention)");
        }

        var result = new JobSweepResult(examined, started, synced, failed) { Ended = ended, Resynced = resynced };
        if (examined > 0)
        {
            LogSwept(logger, result.Examined, result.Started, result.Ended, result.Synced, result.Failed);
        }

        return result;
    }

    private bool RetentionDue(JobSweeperOptions settings)
    {
        var now = timeProvider.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextRetentionTicks);
        return now >= next && Interlocked.CompareExchange(ref _nextRetentionTicks, now + settings.RetentionInterval.Ticks, next) == next;
    }

    private async Task<Repair> RepairAsync(IJobScheduler scheduler, JobState state, JobSweeperOptions settings, CancellationToken cancellationToken)
    {
        var definition = state.Definition;
        var now = timeProvider.GetUtcNow();
        if (now - definition.CreatedAt < settings.StartMissingAfter)
        {
            return Repair.None;
        }

        var instance = await scheduler.GetInstanceStatusAsync(definition.JobId, cancellationToken).ConfigureAwait(false);
        switch (instance)
        {
            case JobInstanceStatus.Missing when await jobService.IsUnissuedAsync(definition, cancellationToken).ConfigureAwait(false):
                // Its submission failed (or died) before issuing the credentials the job asked for: the client never
                // saw it accepted, and it must not run without them.
                if (await jobService.EndUnissuedAsync(definition, cancellationToken).ConfigureAwait(false))
                {
                    LogEndedUnissued(logger, definition.JobId);
                    return Repair.Ended;
                }

                return Repair.None;
            case JobInstanceStatus.Missing:
                await scheduler.StartAsync(JobStartRequest.Of(definition), cancellationToken).ConfigureAwait(false);
                LogStartedMissing(logger, definition.JobId);
                return Repair.Started;
            case JobInstanceStatus.Failed or JobInstanceStatus.Terminated:
            // A completed instance always wrote or yielded to a terminal; an unfinished job under one was left by a
            // worker that gave up its claim, and is ended once no live claim remains.
            case JobInstanceStatus.Completed when state.OwnerLeaseExpiresAt is not { } lease || lease <= now:
                var reason = EndingReason(state, now);
                var outcome = await finisher.FinishAsync(new FinishJobRequest(definition.JobId, reason), cancellationToken).ConfigureAwait(false);
                await RevokeAsync(definition.JobId, cancellationToken).ConfigureAwait(false);
                if (outcome != JobFinishOutcome.Finished)
                {
                    // The job ended on its own between the listing and now.
                    return Repair.None;
                }

                LogEndedOrphan(logger, definition.JobId, instance, reason);
                return Repair.Ended;
            default:
                return Repair.None;
        }
    }

    /// <summary>The truthful reason: a deadline that passed, otherwise a failed execution (a cancel wins inside <see cref="FinishJobActivity"/>).</summary>
    private static JobFinishReason EndingReason(JobState state, DateTimeOffset now)
    {
        var definition = state.Definition;
        if (definition.MaxRuntimeSec is { } max && (state.StartedAt ?? definition.CreatedAt).AddSeconds(max) <= now)
        {
            return JobFinishReason.TimedOut;
        }

        return definition.ExpiresAt is { } expires && expires <= now ? JobFinishReason.LeaseExpired : JobFinishReason.Failed;
    }

    private async Task RevokeAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            await revoker.RevokeAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The ledger keeps what is still outstanding, with its last error, for operators.
            LogRevokeFailed(logger, ex, jobId);
        }
    }

    private enum Repair
    {
        None,
        Started,
        Ended,
    }

    [LoggerMessage(EventId = 2501, Level = LogLevel.Warning, Message = "Sweeper started the missing execution of job {JobId}")]
    private static partial void LogStartedMissing(ILogger logger, string jobId);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Sweeper could not repair job {JobId}; the next sweep retries")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Debug, Message = "Sweep: {Examined} unfinished jobs, {Started} started, {Ended} ended, {Synced} outboxes synced, {Failed} failed")]
    private static partial void LogSwept(ILogger logger, int examined, int started, int ended, int synced, int failed);

    [LoggerMessage(EventId = 2504, Level = LogLevel.Warning, Message = "Sweeper ended job {JobId}, whose execution ended ({Instance}) without a terminal, as {Reason}")]
    private static partial void LogEndedOrphan(ILogger logger, string jobId, JobInstanceStatus instance, JobFinishReason reason);

    [LoggerMessage(EventId = 2506, Level = LogLevel.Warning, Message = "Sweeper ended job {JobId}, whose credentials were never issued, instead of starting it")]
    private static partial void LogEndedUnissued(ILogger logger, string jobId);

    [LoggerMessage(EventId = 2505, Level = LogLevel.Warning, Message = "Sweeper could not revoke the credentials of job {JobId}; the ledger keeps them outstanding")]
    private static partial void LogRevokeFailed(ILogger logger, Exception exception, string jobId);
}

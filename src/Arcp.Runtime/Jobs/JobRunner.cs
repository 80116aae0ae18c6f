using System.Diagnostics;
using System.Text.Json;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Agents;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// Runs one job on this worker: claims it, runs its agent with a <see cref="JobContext"/>, and writes the terminal
/// transition through the state machine. This is the body of the <c>RunAgent</c> activity; it is safe to run again
/// after a crash (the claim takes over, completed durable steps are skipped) and it stops cooperatively when the job
/// is cancelled, times out, expires or is ended by someone else.
/// </summary>
public sealed partial class JobRunner(
    IJobStore jobs,
    AgentCatalog agents,
    IServiceProvider services,
    IChildJobSubmitter children,
    Credentials.CredentialService credentials,
    OutboxFanout fanout,
    JobStopSignals stopSignals,
    JobTerminals terminals,
    TimeProvider timeProvider,
    IOptions<JobRunnerOptions> options,
    ILogger<JobRunner> logger)
{
    private static readonly IReadOnlyDictionary<string, string> s_noSteps = new Dictionary<string, string>();
    private static readonly TimeSpan s_releaseTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_claimCommitPoll = TimeSpan.FromMilliseconds(50);
    private readonly JobRunnerOptions _options = options.Value;

    /// <summary>Runs the job to its end, or until <paramref name="shutdown"/> (then it is left for redelivery).</summary>
    public async Task<JobRunOutcome> RunAsync(string jobId, CancellationToken shutdown)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);

        // The input never changes, so it is read alongside the claim rather than after it.
        var inputRead = UntilStorageAnswersAsync(ct => jobs.GetInputAsync(jobId, ct), jobId, shutdown);
        var (state, claimPending) = await ClaimAsync(jobId, shutdown).ConfigureAwait(false);
        var inputJson = await inputRead.ConfigureAwait(false);
        if (state is null)
        {
            return JobRunOutcome.NotRun;
        }

        // The run's span starts with the claim, which says which trace it belongs to and which attempt this is.
        using var activity = ArcpTelemetry.StartJobRun(jobId, state.Definition.Agent, state.Definition.TraceId, state.Attempt, state.Definition.ExpiresAt, state.Budget);
        var outcome = await RunClaimedAsync(state, claimPending, inputJson, activity, shutdown).ConfigureAwait(false);
        activity?.SetTag(ArcpTelemetry.Tags.JobOutcome, outcome.ToString());
        return outcome;
    }

    private async Task<JobRunOutcome> RunClaimedAsync(JobState state, bool claimPending, string? inputJson, Activity? activity, CancellationToken shutdown)
    {
        var jobId = state.JobId;
        var claim = JobClaim.Of(state);
        if (state.FailedAttempts > _options.MaxAttempts)
        {
            LogPoisoned(logger, jobId, state.Attempt);
            return await FinishAsync(state, claim, claimPending, null, terminals.Failure(jobId, new ProtocolError(ErrorCode.InternalError, $"The agent stopped its worker {state.FailedAttempts - 1} times; giving up.")), activity, shutdown).ConfigureAwait(false);
        }

        var registration = agents.Find(state.Definition.Agent);
        if (registration is null)
        {
            return await FinishAsync(state, claim, claimPending, null, terminals.Failure(jobId, ProtocolError.WithDetails(ErrorCode.AgentNotAvailable, $"Agent {state.Definition.Agent} is not registered on this worker.", ("agent", state.Definition.Agent))), activity, shutdown).ConfigureAwait(false);
        }

        var input = ParseInput(inputJson);

        // Only a run that took over from an earlier attempt can find completed steps.
        var steps = state.Attempt > 1 ? await UntilStorageAnswersAsync(ct => jobs.GetCompletedStepsAsync(jobId, ct), jobId, shutdown).ConfigureAwait(false) : s_noSteps;

        // The writer keeps retrying through storage outages until the run is abandoned: a shutdown or a lost claim.
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        using var signal = stopSignals.Register(jobId, stop);
        var writer = new JobEventWriter(jobs, state, fanout.JobAppended, timeProvider: timeProvider, claimPending: claimPending, cancelledBeforeClaim: () => signal.Stop(JobStopReason.Cancelled), abandon: abandon.Token);
        fanout.JobAppended(state);

        using var shutdownHook = shutdown.Register(() => signal.Stop(JobStopReason.Shutdown));
        using var claimLostHook = stop.Token.Register(() =>
        {
            if (signal.Reason == JobStopReason.ClaimLost)
            {
                abandon.Cancel();
            }
        });
        using var watch = new CancellationTokenSource();
        var watcher = WatchAsync(claim, state, writer, signal, watch.Token);

        var context = new RuntimeJobContext(state, input, writer, steps, timeProvider, stop.Token, (submit, ct) => children.SubmitChildAsync(state.Definition, submit, ct), credentials);
        JobTermination termination;
        try
        {
            var agent = registration.Factory(services);
            var result = await agent.RunAsync(context, stop.Token).ConfigureAwait(false);

            // An agent that ignored the stop and returned after its deadline does not get to succeed (§9.5: a job
            // still active when its lease expired ends LEASE_EXPIRED; the Durable timer decides the same way).
            termination = DeadlineTermination(state, signal.Reason) ?? (context.Streamed is { } streamed
                ? result is null
                    ? terminals.Streamed(jobId, streamed.ResultId, streamed.Size, streamed.Summary)
                    : terminals.Failure(jobId, new ProtocolError(ErrorCode.InternalError, "The agent streamed its result and also returned one inline."))
                : terminals.Success(jobId, result));
        }
        catch (Exception ex) when (signal.Reason is JobStopReason.Shutdown or JobStopReason.ClaimLost || ex is JobClaimLostException || IsStorageOutage(ex))
        {
            // Not the job's outcome: the host is stopping, another worker owns the job now, or storage kept failing.
            // The run is handed back (its claim released where it still holds) and the job runs again elsewhere.
            await StopWatchingAsync(watch, watcher).ConfigureAwait(false);
            var claimLost = ex is JobClaimLostException || signal.Reason == JobStopReason.ClaimLost;
            return await AbandonAsync(claim, signal.Reason == JobStopReason.Shutdown ? "shutdown" : claimLost ? "claim lost" : "storage unavailable", release: !claimLost, ex, writer).ConfigureAwait(false);
        }
        catch (Exception ex) when (signal.Reason != JobStopReason.None && ex is OperationCanceledException or JobSealedException or ArcpException)
        {
            termination = signal.Reason == JobStopReason.Cancelled
                ? terminals.Cancelled(jobId, (await UntilStorageAnswersAsync(ct => jobs.GetAsync(jobId, ct), jobId, shutdown).ConfigureAwait(false))?.CancelReason)
                : DeadlineTermination(state, signal.Reason)!;
            if (termination is null)
            {
                await StopWatchingAsync(watch, watcher).ConfigureAwait(false);
                return JobRunOutcome.Finished;
            }
        }
        catch (JobSealedException)
        {
            await StopWatchingAsync(watch, watcher).ConfigureAwait(false);
            return JobRunOutcome.Finished;
        }
        catch (ArcpException ex)
        {
            termination = terminals.Failure(jobId, ex.Error);
        }
        catch (Exception ex)
        {
            var correlation = Guid.NewGuid().ToString("N")[..12];
            LogAgentFailed(logger, ex, jobId, correlation);
            termination = terminals.Failure(jobId, ProtocolError.WithDetails(ErrorCode.InternalError, "The agent failed unexpectedly.", ("correlation_id", correlation)));
        }

        await StopWatchingAsync(watch, watcher).ConfigureAwait(false);
        if (signal.Reason == JobStopReason.LeaseExpired)
        {
            await TryEmitAsync(writer, new StatusBody(StatusBody.LeaseExpired, "The lease expired; the job is ending.")).ConfigureAwait(false);
        }

        try
        {
            return await FinishAsync(state, claim, false, writer, termination, activity, shutdown).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return await AbandonAsync(claim, "shutdown", release: true, null, writer).ConfigureAwait(false);
        }
    }

    /// <summary>A storage failure that outlasted one operation's retries: the job waits for storage, it does not fail.</summary>
    private static bool IsStorageOutage(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is Storage.StorageUnavailableException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Hands the job back: releases the claim (if it is still this run's) so the next delivery may claim at once and
    /// this run does not count as a failed attempt, then reports the run abandoned so it runs again — or superseded,
    /// when another run holds the claim now.
    /// </summary>
    private async Task<JobRunOutcome> AbandonAsync(JobClaim claim, string why, bool release, Exception? cause, JobEventWriter writer)
    {
        LogAbandoned(logger, cause, claim.JobId, claim.Attempt, why);
        if (!release)
        {
            return JobRunOutcome.Superseded;
        }

        try
        {
            using var timeout = new CancellationTokenSource(s_releaseTimeout, timeProvider);

            // A run handed back before it stored its claim still was an attempt (the agent ran): the claim is stored,
            // then released like any other, so the next run sees the attempt and its hand-back.
            if (writer.ClaimPending && !await StorePendingClaimAsync(writer.State, claim, timeout.Token).ConfigureAwait(false))
            {
                return JobRunOutcome.Abandoned;
            }

            await jobs.ReleaseClaimAsync(claim, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The claim lapses on its own after the owner lease; the release only saves that wait.
            LogReleaseFailed(logger, ex, claim.JobId);
        }

        return JobRunOutcome.Abandoned;
    }

    /// <summary>Stores a pending claim alone (no events); false when it can no longer be stored.</summary>
    private async Task<bool> StorePendingClaimAsync(JobState prepared, JobClaim claim, CancellationToken cancellationToken)
    {
        var write = JobWrite.Claiming(claim, prepared.OwnerLeaseExpiresAt!.Value);
        var expected = prepared;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            switch (await jobs.AppendEventsAsync(expected, [], null, write, cancellationToken).ConfigureAwait(false))
            {
                case AppendResult.Appended:
                    return true;
                case AppendResult.Conflict conflict:
                    expected = conflict.Current;
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Runs a storage operation the job cannot proceed without, waiting out outages (each try already retries the
    /// transient faults of one operation) until <paramref name="cancellationToken"/> ends the run.
    /// </summary>
    private Task<T> UntilStorageAnswersAsync<T>(Func<CancellationToken, Task<T>> operation, string jobId, CancellationToken cancellationToken) =>
        Storage.StorageOutage.WaitOutAsync(operation, timeProvider, (ex, failures) => LogStorageWait(logger, ex, jobId, failures), cancellationToken);

    /// <summary>The terminal of a run stopped by a deadline (lease expiry, runtime cap); null for any other stop.</summary>
    private JobTermination? DeadlineTermination(JobState state, JobStopReason reason) => reason switch
    {
        JobStopReason.LeaseExpired => terminals.LeaseExpired(state.JobId, state.Definition.ExpiresAt!.Value),
        JobStopReason.TimedOut => terminals.TimedOut(state.JobId, state.Definition.MaxRuntimeSec ?? 0),
        _ => null,
    };

    /// <summary>
    /// Claims the job: decided now and, for a fresh job, stored with the run's first write (see
    /// <see cref="JobRunnerOptions.ClaimDeferral"/>); otherwise stored before the agent starts. Null when the job is not
    /// to run here (ended, cancelled before it started, gone).
    /// </summary>
    private async Task<(JobState? State, bool ClaimPending)> ClaimAsync(string jobId, CancellationToken shutdown)
    {
        var defer = _options.ClaimDeferral > TimeSpan.Zero;
        while (true)
        {
            var decision = await UntilStorageAnswersAsync(
                ct => defer ? jobs.PrepareClaimAsync(jobId, _options.Owner, _options.OwnerLease, ct) : jobs.TryClaimAsync(jobId, _options.Owner, _options.OwnerLease, ct),
                jobId,
                shutdown).ConfigureAwait(false);
            switch (decision)
            {
                case ClaimResult.Claimed claimed when defer && timeProvider.GetUtcNow() - claimed.State.Definition.CreatedAt >= _options.OwnerLease:
                    // Old enough to be a redelivery after a crash: store the claim first, so the attempt counts.
                    defer = false;
                    continue;
                case ClaimResult.Claimed claimed:
                    return (claimed.State, defer);
                case ClaimResult.CancelPending pending:
                    await FinishAsync(pending.Current, null, false, null, terminals.Cancelled(jobId, pending.Current.CancelReason), null, shutdown).ConfigureAwait(false);
                    return (null, false);
                case ClaimResult.HeldByOther held:
                    // The previous owner may have crashed: its claim lapses at OwnerLeaseExpiresAt, then we take over.
                    var wait = (held.Current.OwnerLeaseExpiresAt ?? timeProvider.GetUtcNow()) - timeProvider.GetUtcNow();
                    await Task.Delay(wait < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : wait, timeProvider, shutdown).ConfigureAwait(false);
                    continue;
                default:
                    return (null, false);
            }
        }
    }

    /// <summary>
    /// Ends the job, fenced on <paramref name="claim"/> when the run holds one. A success refused because a cancel came
    /// first becomes a cancellation, so the client that got <c>job.cancelled</c> always sees <c>job.error CANCELLED</c>
    /// next. Storage outages are waited out; a lost claim hands the job to its new owner.
    /// </summary>
    private async Task<JobRunOutcome> FinishAsync(JobState state, JobClaim? claim, bool claimPending, JobEventWriter? writer, JobTermination termination, Activity? activity, CancellationToken cancellationToken)
    {
        // One logical write across the waits and the cancel retry: a retry after a lost reply recognises the terminal
        // it already wrote. A claim not stored yet is stored with the terminal.
        var write = claim is null ? JobWrite.Unfenced() : claimPending ? JobWrite.Claiming(claim, state.OwnerLeaseExpiresAt!.Value) : JobWrite.FencedBy(claim);
        var outcome = await TryFinishAsync(state, write, writer, termination, cancellationToken).ConfigureAwait(false);
        if (outcome is FinishResult.CancelPending pending)
        {
            outcome = await TryFinishAsync(state, write, writer, terminals.Cancelled(state.JobId, pending.Current.CancelReason), cancellationToken).ConfigureAwait(false);
        }

        switch (outcome)
        {
            case FinishResult.Finished finished:
                fanout.JobAppended(finished.State);
                LogFinished(logger, state.JobId, finished.State.Status);
                SetFinalStatus(activity, finished.State.Status);
                ArcpTelemetry.SetBudgetRemaining(activity, finished.State.Budget);
                break;
            case FinishResult.AlreadyTerminal terminal:
                fanout.JobAppended(terminal.Current);
                SetFinalStatus(activity, terminal.Current.Status);
                break;
            case FinishResult.Superseded:
                LogAbandoned(logger, null, state.JobId, state.Attempt, "claim lost before the terminal write");
                return JobRunOutcome.Superseded;
        }

        return JobRunOutcome.Finished;
    }

    private async Task<FinishResult> TryFinishAsync(JobState state, JobWrite write, JobEventWriter? writer, JobTermination termination, CancellationToken cancellationToken)
    {
        if (writer is not null)
        {
            return await writer.FinishAsync(termination, cancellationToken).ConfigureAwait(false);
        }

        return await UntilStorageAnswersAsync(ct => jobs.TryFinishAsync(state.JobId, termination, [], null, write, ct), state.JobId, cancellationToken).ConfigureAwait(false);
    }

    private static void SetFinalStatus(Activity? activity, JobStatus status)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(ArcpTelemetry.Tags.JobStatus, status.ToWireName());
        if (status is JobStatus.Error or JobStatus.TimedOut)
        {
            activity.SetStatus(ActivityStatusCode.Error, status.ToWireName());
        }
    }

    /// <summary>
    /// Watches for stop conditions while the agent runs: deadlines, a lost claim, and state changes made elsewhere;
    /// renews the claim. Supervised: a storage failure is logged and retried on the next tick, never the end of the
    /// watch, so renewal, deadlines and cancel detection outlive outages.
    /// </summary>
    private async Task WatchAsync(JobClaim claim, JobState state, JobEventWriter writer, JobStopSignals.Registration signal, CancellationToken cancellationToken)
    {
        var definition = state.Definition;
        var startedAt = state.StartedAt ?? timeProvider.GetUtcNow();
        DateTimeOffset? runtimeDeadline = definition.MaxRuntimeSec is { } max ? startedAt.AddSeconds(max) : null;
        var lastRenewal = timeProvider.GetUtcNow();
        var claimDue = lastRenewal + _options.ClaimDeferral;
        Task? claimCommit = null;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = timeProvider.GetUtcNow();
            if (definition.ExpiresAt is { } expiresAt && now >= expiresAt)
            {
                signal.Stop(JobStopReason.LeaseExpired);
                return;
            }

            if (runtimeDeadline is { } deadline && now >= deadline)
            {
                signal.Stop(JobStopReason.TimedOut);
                return;
            }

            var nextWake = _options.StatePollInterval;
            if (claimCommit is not null || writer.ClaimPending)
            {
                // Until the claim is stored there is nothing of this run's to watch in the state row: a cancel or
                // another claim shows up when the claim is stored (with the agent's first write, or alone here).
                if (claimCommit is null && now < claimDue)
                {
                    nextWake = claimDue - now;
                }
                else
                {
                    claimCommit ??= writer.CommitClaimAsync();
                    if (claimCommit.IsCompleted)
                    {
                        if (StoppedByClaimCommit(claimCommit, claim, signal))
                        {
                            return;
                        }

                        claimCommit = null;
                        continue;
                    }

                    nextWake = s_claimCommitPoll;
                }
            }
            else
            {
                try
                {
                    JobState? current;
                    if (now - lastRenewal >= _options.OwnerLease / 3)
                    {
                        current = await jobs.RenewClaimAsync(claim, _options.OwnerLease, cancellationToken).ConfigureAwait(false)
                            ?? await jobs.GetAsync(definition.JobId, cancellationToken).ConfigureAwait(false);
                        lastRenewal = now;
                    }
                    else
                    {
                        current = await jobs.GetAsync(definition.JobId, cancellationToken).ConfigureAwait(false);
                    }

                    failures = 0;
                    current ??= writer.State;
                    if (current.Sealed)
                    {
                        signal.Stop(JobStopReason.Sealed);
                        return;
                    }

                    if (!claim.Holds(current))
                    {
                        LogClaimLost(logger, definition.JobId, claim.Attempt, current.Attempt);
                        signal.Stop(JobStopReason.ClaimLost);
                        return;
                    }

                    if (current.CancelRequested)
                    {
                        signal.Stop(JobStopReason.Cancelled);
                        return;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // No backoff beyond the usual poll: one read per poll interval is the watcher's normal load, and a
                    // cancel or a lost claim must be noticed as soon as storage answers again. The log is thinned out.
                    failures++;
                    if ((failures & (failures - 1)) == 0)
                    {
                        LogWatchFailed(logger, ex, definition.JobId, failures);
                    }
                }
            }

            foreach (var candidate in new[] { definition.ExpiresAt, runtimeDeadline })
            {
                if (candidate is { } at && at - now < nextWake)
                {
                    nextWake = at - now;
                }
            }

            try
            {
                await Task.Delay(nextWake < TimeSpan.Zero ? TimeSpan.Zero : nextWake, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// After the writer tried to store the pending claim: true (and the run told to stop) when it could not, because
    /// another run's claim came first or the job ended meanwhile.
    /// </summary>
    private bool StoppedByClaimCommit(Task claimCommit, JobClaim claim, JobStopSignals.Registration signal)
    {
        switch (claimCommit.Exception?.GetBaseException())
        {
            case null:
                return false;
            case JobClaimLostException:
                LogClaimNotStored(logger, claim.JobId, claim.Attempt);
                signal.Stop(JobStopReason.ClaimLost);
                return true;
            case JobSealedException:
                signal.Stop(JobStopReason.Sealed);
                return true;
            default:
                // The run was abandoned (shutdown); the writer's failure reaches the agent through its emits.
                return true;
        }
    }

    private static async Task StopWatchingAsync(CancellationTokenSource watch, Task watcher)
    {
        await watch.CancelAsync().ConfigureAwait(false);
        await watcher.ConfigureAwait(false);
    }

    private async Task TryEmitAsync(JobEventWriter writer, EventBody body)
    {
        try
        {
            await writer.EmitAsync(NewJobEvent.Of(body, timeProvider.GetUtcNow(), Protocol.Ids.IdGenerator.System.NewMessageId())).ConfigureAwait(false);
        }
        catch (JobSealedException)
        {
            // Ended meanwhile; the terminal write below will yield.
        }
    }

    private static JsonElement ParseInput(string? json)
    {
        using var document = JsonDocument.Parse(string.IsNullOrEmpty(json) ? "null" : json);
        return document.RootElement.Clone();
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Job {JobId} finished as {Status}")]
    private static partial void LogFinished(ILogger logger, string jobId, JobStatus status);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Agent of job {JobId} failed (correlation {CorrelationId})")]
    private static partial void LogAgentFailed(ILogger logger, Exception exception, string jobId, string correlationId);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Job {JobId} was claimed {Attempt} times; ending it as INTERNAL_ERROR")]
    private static partial void LogPoisoned(ILogger logger, string jobId, int attempt);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Run of job {JobId} (attempt {Attempt}) handed back: {Why}")]
    private static partial void LogAbandoned(ILogger logger, Exception? exception, string jobId, int attempt, string why);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Job {JobId}: could not release the claim; it lapses after the owner lease")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Job {JobId}: storage unavailable ({Failures} in a row); waiting")]
    private static partial void LogStorageWait(ILogger logger, Exception exception, string jobId, int failures);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Job {JobId}: watch of the state row failed ({Failures} in a row); retrying")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string jobId, int failures);

    [LoggerMessage(EventId = 7301, Level = LogLevel.Warning, Message = "Job {JobId}: another run claimed it before attempt {Attempt} stored its claim; stopping this run")]
    private static partial void LogClaimNotStored(ILogger logger, string jobId, int attempt);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Warning, Message = "Job {JobId}: claim of attempt {Attempt} was replaced by attempt {CurrentAttempt}; stopping this run")]
    private static partial void LogClaimLost(ILogger logger, string jobId, int attempt, int currentAttempt);
}

/// <summary>What a run of <see cref="JobRunner"/> did.</summary>
public enum JobRunOutcome
{
    /// <summary>The job was not run (already terminal, cancelled before start, or missing).</summary>
    NotRun,

    /// <summary>The job reached a terminal state (written here or elsewhere).</summary>
    Finished,

    /// <summary>The run was handed back while no other run holds the job (the host is stopping, storage stayed out); the job runs again.</summary>
    Abandoned,

    /// <summary>Another run took the job over (this one was paused or cut off past its owner lease); that run goes on.</summary>
    Superseded,
}

using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>
/// One instance per job (instance id = job id). Races the <c>RunAgent</c> activity against the external event
/// <c>cancel</c> and a durable timer at the earliest deadline (orchestration start + <c>max_runtime_sec</c>, lease
/// <c>expires_at</c>); a cancel or a deadline ends the job through <c>FinishJob</c>, a conditional terminal write that
/// yields if the agent ended it first. A run handed back while no other run holds the job (an outage escaped the
/// agent) is scheduled again as a new activity. Finally <c>RevokeCredentials</c> runs under a durable retry policy, for
/// jobs that can hold credentials.
/// </summary>
/// <remarks>
/// Deterministic: the only clock is <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>, logging goes through
/// the replay-safe logger, and every I/O happens in activities. Event volume never passes through the history.
/// Every timer and event wait is cancelled when the race ends, because an outstanding timer keeps the instance
/// <c>Running</c> until it fires; they are cancelled synchronously so the shim's continuations stay on the
/// orchestration's own thread. Timing comes from the input (<see cref="JobStartRequest.Settings"/>), never from
/// configuration read while replaying.
/// </remarks>
public sealed partial class JobOrchestrator : TaskOrchestrator<JobStartRequest, JobOrchestrationResult>
{
    private static readonly TaskOptions s_runRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(5), 2.0));

    /// <inheritdoc />
    public override async Task<JobOrchestrationResult> RunAsync(TaskOrchestrationContext context, JobStartRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var logger = context.CreateReplaySafeLogger<JobOrchestrator>();
        var jobId = input.JobId;
        var settings = input.Settings ?? JobOrchestrationSettings.Defaults;

        var finishRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
            Math.Max(1, settings.FinishMaxAttempts),
            settings.FinishFirstRetryInterval,
            2.0,
            TimeSpan.FromMinutes(1)));
        string ending;
        try
        {
            ending = await RaceAsync(context, logger, input, settings, finishRetry);
        }
        catch (TaskFailedException ex)
        {
            // FinishJob failed past its retries (storage stayed down longer than they last): the job has no terminal.
            // Its credentials are still revoked, then the instance fails, and the sweeper, seeing a failed instance of
            // an unfinished job, writes the terminal once storage answers again.
            LogFinishGaveUp(logger, jobId, ex.FailureDetails.ErrorMessage);
            await RevokeAsync(context, logger, input, settings);

            throw;
        }

        var revoked = await RevokeAsync(context, logger, input, settings);
        return new JobOrchestrationResult(jobId, ending, revoked);
    }

    private static async Task<string> RaceAsync(TaskOrchestrationContext context, ILogger logger, JobStartRequest input, JobOrchestrationSettings settings, TaskOptions finishRetry)
    {
        var jobId = input.JobId;
        var (deadline, deadlineReason) = Deadline(input, context.CurrentUtcDateTime);
        string ending;
        using (var race = new CancellationTokenSource())
        {
            var run = RunUntilEndedAsync(context, logger, jobId, race.Token);
            var cancel = context.WaitForExternalEvent<object?>(ArcpTaskRegistry.CancelEvent, race.Token);
            var timer = deadline is { } at ? context.CreateTimer(at, race.Token) : null;
            Task winner;
            while (true)
            {
                winner = timer is null ? await Task.WhenAny(run, cancel) : await Task.WhenAny(run, cancel, timer);
                if (winner != timer || context.CurrentUtcDateTime >= deadline)
                {
                    break;
                }

                // Queue visibility delays have whole-second granularity, so a timer may fire up to a second early:
                // wait out the rest rather than end the job before its deadline.
                timer = context.CreateTimer(deadline!.Value, race.Token);
            }

            race.Cancel();

            if (winner == run)
            {
                ending = await EndAfterRunAsync(context, logger, jobId, run, finishRetry);
            }
            else if (winner == cancel)
            {
                ending = "cancel";
                LogCancelReceived(logger, jobId);
                await GraceThenFinishAsync(context, jobId, run, settings.CancelGracePeriod, finishRetry);
            }
            else
            {
                ending = deadlineReason == JobFinishReason.TimedOut ? "timeout" : "lease_expired";
                LogDeadline(logger, jobId, deadlineReason);
                await context.CallActivityAsync<JobFinishOutcome>(ArcpTaskRegistry.FinishJob, new FinishJobRequest(jobId, deadlineReason), finishRetry);
            }
        }

        return ending;
    }

    /// <summary>
    /// Runs the agent until a run ends (or skips) the job. A run handed back is scheduled again as a fresh work item
    /// rather than left to the queue's redelivery, whose delay doubles with every delivery of the same message (two
    /// seconds after the first, four minutes after the eighth): a job handed back a few times would otherwise sit idle
    /// for minutes. Repeated hand-backs wait a growing, capped durable timer so an agent that keeps failing this way
    /// does not spin. Once <paramref name="raceEnded"/> is set (a cancel or a deadline won) nothing is scheduled again.
    /// </summary>
    private static async Task<JobRunOutcome> RunUntilEndedAsync(TaskOrchestrationContext context, ILogger logger, string jobId, CancellationToken raceEnded)
    {
        for (var handBacks = 1; ; handBacks++)
        {
            var outcome = await context.CallActivityAsync<JobRunOutcome>(ArcpTaskRegistry.RunAgent, jobId, s_runRetry);
            if (outcome != JobRunOutcome.Abandoned || raceEnded.IsCancellationRequested)
            {
                return outcome;
            }

            var pause = HandBackPause(handBacks);
            LogHandedBack(logger, jobId, handBacks, pause.TotalSeconds);
            if (pause > TimeSpan.Zero)
            {
                await context.CreateTimer(context.CurrentUtcDateTime + pause, raceEnded);
            }
        }
    }

    /// <summary>No pause for the first hand-backs, then 2, 4, 8 … seconds, at most a minute.</summary>
    internal static TimeSpan HandBackPause(int handBacks) =>
        handBacks <= 2 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(handBacks - 2, 6))));

    /// <summary>The earliest deadline and what it means; a tie counts as the runtime cap.</summary>
    internal static (DateTime? At, JobFinishReason Reason) Deadline(JobStartRequest input, DateTime startedAtUtc)
    {
        DateTime? runtimeEnd = input.MaxRuntimeSec is { } max ? startedAtUtc.AddSeconds(max) : null;
        DateTime? leaseEnd = input.ExpiresAt?.UtcDateTime;
        return (runtimeEnd, leaseEnd) switch
        {
            (null, null) => (null, JobFinishReason.TimedOut),
            ({ } r, null) => (r, JobFinishReason.TimedOut),
            (null, { } l) => (l, JobFinishReason.LeaseExpired),
            ({ } r, { } l) => r <= l ? (r, JobFinishReason.TimedOut) : (l, JobFinishReason.LeaseExpired),
        };
    }

    private static async Task<string> EndAfterRunAsync(TaskOrchestrationContext context, ILogger logger, string jobId, Task<JobRunOutcome> run, TaskOptions finishRetry)
    {
        try
        {
            await run;
            return "agent";
        }
        catch (TaskFailedException ex)
        {
            // The runner writes every terminal it can itself; an activity failure here means storage or the worker
            // kept failing past the retries. End the job so the client is not left waiting.
            LogRunFailed(logger, jobId, ex.FailureDetails.ErrorMessage);
            await context.CallActivityAsync<JobFinishOutcome>(ArcpTaskRegistry.FinishJob, new FinishJobRequest(jobId, JobFinishReason.Failed), finishRetry);
            return "failed";
        }
    }

    /// <summary>
    /// Lets the agent unwind and write its own <c>cancelled</c> terminal (it includes whatever it emitted last); only
    /// if it has not ended within the grace period does the orchestration write the terminal itself.
    /// </summary>
    private static async Task GraceThenFinishAsync(TaskOrchestrationContext context, string jobId, Task<JobRunOutcome> run, TimeSpan gracePeriod, TaskOptions finishRetry)
    {
        using var grace = new CancellationTokenSource();
        var graceTimer = context.CreateTimer(context.CurrentUtcDateTime + gracePeriod, grace.Token);
        var first = await Task.WhenAny(run, graceTimer);
        grace.Cancel();
        if (first == run && run.IsCompletedSuccessfully && run.Result != JobRunOutcome.Abandoned)
        {
            return;
        }

        await context.CallActivityAsync<JobFinishOutcome>(ArcpTaskRegistry.FinishJob, new FinishJobRequest(jobId, JobFinishReason.Cancelled), finishRetry);
    }

    private static async Task<bool> RevokeAsync(TaskOrchestrationContext context, ILogger logger, JobStartRequest input, JobOrchestrationSettings settings)
    {
        // A job that cannot hold credentials has nothing to revoke and no child that could.
        if (!input.MayHoldCredentials)
        {
            return true;
        }

        var jobId = input.JobId;
        var retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
            Math.Max(1, settings.RevokeMaxAttempts),
            settings.RevokeFirstRetryInterval,
            2.0,
            TimeSpan.FromMinutes(5)));
        try
        {
            await context.CallActivityAsync<int>(ArcpTaskRegistry.RevokeCredentials, jobId, retry);
            return true;
        }
        catch (TaskFailedException ex)
        {
            // The ledger keeps every outstanding credential and its last error for operators and the sweeper.
            LogRevokeGaveUp(logger, jobId, ex.FailureDetails.ErrorMessage);
            return false;
        }
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Job {JobId}: cancel received; giving the agent its grace period")]
    private static partial void LogCancelReceived(ILogger logger, string jobId);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "Job {JobId}: deadline reached ({Reason})")]
    private static partial void LogDeadline(ILogger logger, string jobId, JobFinishReason reason);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Error, Message = "Job {JobId}: the agent activity failed after its retries: {Error}")]
    private static partial void LogRunFailed(ILogger logger, string jobId, string error);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Error, Message = "Job {JobId}: credential revocation gave up after its retries: {Error}")]
    private static partial void LogRevokeGaveUp(ILogger logger, string jobId, string error);

    [LoggerMessage(EventId = 2406, Level = LogLevel.Warning, Message = "Job {JobId}: run handed back ({HandBacks} so far); scheduling it again in {PauseSeconds} s")]
    private static partial void LogHandedBack(ILogger logger, string jobId, int handBacks, double pauseSeconds);

    [LoggerMessage(EventId = 2405, Level = LogLevel.Error, Message = "Job {JobId}: FinishJob gave up after its retries; the sweeper ends the job: {Error}")]
    private static partial void LogFinishGaveUp(ILogger logger, string jobId, string error);
}

using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Delivery;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>
/// <c>FinishJob</c>: the conditional terminal write the orchestration makes on a cancel, a deadline or a failed agent
/// activity. A job that already ended is left untouched, so running it again (activities are at-least-once) or after
/// the agent's own terminal write changes nothing. Afterwards it stops the agent if it runs here and wakes local
/// outbox readers; on other nodes the runner notices the seal on its next state poll.
/// </summary>
public sealed partial class FinishJobActivity(
    IJobStore jobs,
    JobTerminals terminals,
    JobStopSignals stopSignals,
    OutboxFanout fanout,
    TimeProvider timeProvider,
    IOptions<JobRunnerOptions> runnerOptions,
    ILogger<FinishJobActivity> logger) : TaskActivity<FinishJobRequest, JobFinishOutcome>
{
    /// <inheritdoc />
    public override Task<JobFinishOutcome> RunAsync(TaskActivityContext context, FinishJobRequest input) => FinishAsync(input, CancellationToken.None);

    /// <summary>Ends the job for <paramref name="request"/>'s reason unless it already ended; the body shared by every host.</summary>
    public async Task<JobFinishOutcome> FinishAsync(FinishJobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = await jobs.GetAsync(request.JobId, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return JobFinishOutcome.NotFound;
        }

        var outcome = await jobs.TryFinishAsync(request.JobId, Termination(state, request.Reason), [], state, cancellationToken).ConfigureAwait(false);
        if (outcome is FinishResult.CancelPending pending)
        {
            // A cancel was answered first: the client was promised job.error CANCELLED, whatever else happened since.
            outcome = await jobs.TryFinishAsync(request.JobId, terminals.Cancelled(request.JobId, pending.Current.CancelReason), [], pending.Current, cancellationToken).ConfigureAwait(false);
        }

        if (outcome is FinishResult.NotAllowed { Current.Status: JobStatus.Pending })
        {
            outcome = await ClaimThenFinishAsync(request, cancellationToken).ConfigureAwait(false);
        }

        stopSignals.Stop(request.JobId, JobStopReason.Sealed);
        switch (outcome)
        {
            case FinishResult.Finished finished:
                fanout.JobAppended(finished.State);
                LogFinished(logger, request.JobId, request.Reason, finished.State.Status);
                return JobFinishOutcome.Finished;
            case FinishResult.AlreadyTerminal terminal:
                fanout.JobAppended(terminal.Current);
                return JobFinishOutcome.AlreadyTerminal;
            case FinishResult.NotFound:
                return JobFinishOutcome.NotFound;
            default:
                throw new InvalidOperationException($"Job {request.JobId} could not be finished as {request.Reason}: {outcome}.");
        }
    }

    /// <summary>
    /// The state machine has no <c>pending → timed_out</c> edge: a job whose runtime ran out before any worker claimed
    /// it is claimed here and then ended, so it still reports the truthful <c>timed_out</c> / TIMEOUT. The claim
    /// makes a late <c>RunAgent</c> find the job terminal and not run it.
    /// </summary>
    private async Task<FinishResult> ClaimThenFinishAsync(FinishJobRequest request, CancellationToken cancellationToken)
    {
        var options = runnerOptions.Value;
        var claim = await jobs.TryClaimAsync(request.JobId, options.Owner, options.OwnerLease, cancellationToken).ConfigureAwait(false);
        return claim switch
        {
            ClaimResult.Claimed claimed => await jobs.TryFinishAsync(request.JobId, Termination(claimed.State, request.Reason), [], claimed.State, cancellationToken).ConfigureAwait(false),
            ClaimResult.CancelPending cancelled => await jobs.TryFinishAsync(request.JobId, terminals.Cancelled(request.JobId, cancelled.Current.CancelReason), [], cancelled.Current, cancellationToken).ConfigureAwait(false),
            ClaimResult.AlreadyTerminal terminal => new FinishResult.AlreadyTerminal(terminal.Current),
            ClaimResult.HeldByOther held => await jobs.TryFinishAsync(request.JobId, Termination(held.Current, request.Reason), [], held.Current, cancellationToken).ConfigureAwait(false),
            _ => new FinishResult.NotFound(),
        };
    }

    private JobTermination Termination(JobState state, JobFinishReason reason) => reason switch
    {
        JobFinishReason.Cancelled => terminals.Cancelled(state.JobId, state.CancelReason),
        JobFinishReason.TimedOut => terminals.TimedOut(state.JobId, state.Definition.MaxRuntimeSec ?? 0),
        JobFinishReason.LeaseExpired => terminals.LeaseExpired(state.JobId, state.Definition.ExpiresAt ?? timeProvider.GetUtcNow()),
        _ => terminals.Failure(state.JobId, new ProtocolError(ErrorCode.InternalError, "The job's worker kept failing; the job was ended.")),
    };

    [LoggerMessage(EventId = 2411, Level = LogLevel.Information, Message = "Job {JobId} ended by its orchestration ({Reason}) as {Status}")]
    private static partial void LogFinished(ILogger logger, string jobId, JobFinishReason reason, JobStatus status);
}

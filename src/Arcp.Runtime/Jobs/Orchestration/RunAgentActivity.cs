using Microsoft.DurableTask;
using Microsoft.Extensions.Hosting;

namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>
/// <c>RunAgent</c>: runs the job on this worker through <see cref="JobRunner"/> (claim, agent, events, terminal
/// write). A run handed back while the host keeps running and no other run holds the job (an outage escaped the
/// agent) returns <see cref="JobRunOutcome.Abandoned"/> and the orchestration schedules a new run: an abandoned work
/// item comes back later every time it is abandoned, and on Durable Functions a failure would end the job after the
/// activity's retries. A run that is superseded (another delivery of this same work item took the claim over while
/// this one was paused) or stopped by its host's shutdown throws <see cref="JobRunAbandonedException"/> instead: its
/// result must not be recorded, since the live run (or the redelivery) completes the work item (the local backend
/// maps the exception to an abandon, which the live delivery's newer receipt makes a no-op).
/// </summary>
public sealed class RunAgentActivity(JobRunner runner, IHostApplicationLifetime? lifetime = null) : TaskActivity<string, JobRunOutcome>
{
    /// <inheritdoc />
    public override Task<JobRunOutcome> RunAsync(TaskActivityContext context, string input) => RunJobAsync(input);

    /// <summary>Runs the job; the body shared by every host.</summary>
    public async Task<JobRunOutcome> RunJobAsync(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var stopping = lifetime?.ApplicationStopping ?? CancellationToken.None;
        JobRunOutcome outcome;
        try
        {
            outcome = await runner.RunAsync(jobId, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (stopping.IsCancellationRequested && ex is not JobRunAbandonedException)
        {
            throw new JobRunAbandonedException($"The run of job {jobId} was abandoned because the host is stopping.", stopping);
        }

        if (outcome == JobRunOutcome.Superseded || (outcome == JobRunOutcome.Abandoned && stopping.IsCancellationRequested))
        {
            throw new JobRunAbandonedException($"The run of job {jobId} was handed back for redelivery.", stopping);
        }

        return outcome;
    }
}

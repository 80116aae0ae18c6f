using Microsoft.DurableTask;
using Microsoft.Extensions.Hosting;

namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>
/// <c>RunAgent</c>: runs the job on this worker through <see cref="JobRunner"/> (claim, agent, events, terminal
/// write). A run handed back while the host keeps running (another worker took the claim over, storage stayed out)
/// returns <see cref="JobRunOutcome.Abandoned"/> and the orchestration schedules a new run: a failure would end the
/// job after the activity's retries on Durable Functions, and an abandoned work item comes back later every time it
/// is abandoned. When the host is stopping the run throws <see cref="JobRunAbandonedException"/> instead: the process
/// is going away, so the work item is left for redelivery (the local backend maps the exception to an abandon; the
/// Functions host treats failures during its own shutdown the same way).
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

        if (outcome == JobRunOutcome.Abandoned && stopping.IsCancellationRequested)
        {
            throw new JobRunAbandonedException($"The run of job {jobId} was handed back for redelivery.", stopping);
        }

        return outcome;
    }
}

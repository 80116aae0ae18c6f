using Microsoft.DurableTask;
using Microsoft.Extensions.Hosting;

namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>
/// <c>RunAgent</c>: runs the job on this worker through <see cref="JobRunner"/> (claim, agent, events, terminal
/// write). When the run is handed back (the host stops, another worker took the job over, storage stayed out) it
/// throws <see cref="JobRunAbandonedException"/> instead of returning: a
/// returned value or an ordinary failure would be recorded in the orchestration history and the job would never run
/// again, while an abandoned work item is handed out again (the local backend maps the exception to an abandon; the
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

        if (outcome == JobRunOutcome.Abandoned)
        {
            // Shutdown, a claim another worker took over, or a storage outage: never an outcome to record.
            throw new JobRunAbandonedException($"The run of job {jobId} was handed back for redelivery.", stopping);
        }

        return outcome;
    }
}

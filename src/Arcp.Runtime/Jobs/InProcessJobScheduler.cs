using System.Collections.Concurrent;
using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// Runs jobs on this process's thread pool, without a durable orchestration. For tests of the layers above and for
/// hosts started without a Durable Task backend: a job survives connection loss, but not the death of this process
/// until the sweeper restarts it.
/// </summary>
public sealed class InProcessJobScheduler(JobRunner runner, JobStopSignals stopSignals, IServiceProvider services, IHostApplicationLifetime? lifetime = null) : IJobScheduler
{
    private readonly ConcurrentDictionary<string, Task> _runs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task StartAsync(JobStartRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stopping = lifetime?.ApplicationStopping ?? CancellationToken.None;
        _runs.GetOrAdd(request.JobId, id => Task.Run(() => RunAndRevokeAsync(id, stopping), CancellationToken.None));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RaiseCancelAsync(string jobId, CancellationToken cancellationToken)
    {
        stopSignals.Stop(jobId, JobStopReason.Cancelled);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<JobInstanceStatus> GetInstanceStatusAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(_runs.TryGetValue(jobId, out var run)
            ? run.IsFaulted ? JobInstanceStatus.Failed : run.IsCompleted ? JobInstanceStatus.Completed : JobInstanceStatus.Running
            : JobInstanceStatus.Missing);

    /// <summary>
    /// Runs the job, then the orchestration's last step (children, credentials) on whatever terminal path it took,
    /// retrying a few times.
    /// </summary>
    private async Task RunAndRevokeAsync(string jobId, CancellationToken stopping)
    {
        if (await runner.RunAsync(jobId, stopping).ConfigureAwait(false) is JobRunOutcome.Abandoned or JobRunOutcome.Superseded)
        {
            // Like an abandoned durable work item: the job has no execution any more, so a later start runs it again.
            _runs.TryRemove(jobId, out _);
            return;
        }

        // Resolved here, not injected: the activity needs JobService, which needs this scheduler.
        var ending = services.GetRequiredService<RevokeCredentialsActivity>();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await ending.RevokeAsync(jobId, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (attempt >= 5)
                {
                    // The ledger keeps what is left outstanding, with its last error, for operators.
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200 << attempt), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits for a started job's run to end (tests).</summary>
    public Task WhenRunEndsAsync(string jobId) => _runs.TryGetValue(jobId, out var run) ? run : Task.CompletedTask;
}

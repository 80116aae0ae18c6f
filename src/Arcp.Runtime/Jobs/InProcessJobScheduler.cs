using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// Runs jobs on this process's thread pool, without a durable orchestration. For tests of the layers above and for
/// hosts started without a Durable Task backend: a job survives connection loss, but not the death of this process
/// until the sweeper restarts it. Starting a job only queues it; <see cref="InProcessJobWorker"/> runs what is queued,
/// so the scheduler that <see cref="JobService"/> depends on does not depend on the runner.
/// </summary>
internal sealed class InProcessJobScheduler(JobStopSignals stopSignals) : IJobScheduler
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _runs = new(StringComparer.Ordinal);
    private readonly Channel<string> _queued = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The started jobs not yet taken by the worker.</summary>
    internal ChannelReader<string> Queued => _queued.Reader;

    /// <inheritdoc />
    public Task StartAsync(JobStartRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var added = false;
        _runs.GetOrAdd(request.JobId, _ =>
        {
            added = true;
            return new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        });
        if (added)
        {
            _queued.Writer.TryWrite(request.JobId);
        }

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
            ? run.Task.IsFaulted ? JobInstanceStatus.Failed : run.Task.IsCompleted ? JobInstanceStatus.Completed : JobInstanceStatus.Running
            : JobInstanceStatus.Missing);

    /// <summary>Waits for a started job's run to end (tests).</summary>
    public Task WhenRunEndsAsync(string jobId) => _runs.TryGetValue(jobId, out var run) ? run.Task : Task.CompletedTask;

    /// <summary>Records how a run ended; an abandoned run is forgotten, so a later start runs the job again.</summary>
    internal void Ended(string jobId, bool abandoned, Exception? failure)
    {
        if (abandoned)
        {
            // Like an abandoned durable work item: the job has no execution any more.
            if (_runs.TryRemove(jobId, out var removed))
            {
                removed.TrySetResult();
            }

            return;
        }

        if (_runs.TryGetValue(jobId, out var run))
        {
            if (failure is null)
            {
                run.TrySetResult();
            }
            else
            {
                run.TrySetException(failure);
            }
        }
    }
}

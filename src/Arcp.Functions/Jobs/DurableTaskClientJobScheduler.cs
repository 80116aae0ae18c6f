using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Arcp.Functions.Jobs;

/// <summary>
/// <see cref="IJobScheduler"/> over the Durable Functions <see cref="DurableTaskClient"/> (bound per invocation with
/// <c>[DurableClient]</c>). The instance id is the job id. Durable Functions would replace an existing instance on a
/// second start, so a start first looks the instance up and does nothing when one exists; host.json's
/// <c>overridableExistingInstanceStates: NonRunningStates</c> rejects the rare concurrent duplicate.
/// </summary>
public sealed class DurableTaskClientJobScheduler(DurableTaskClient client) : IJobScheduler
{
    /// <inheritdoc />
    public async Task StartAsync(JobStartRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await GetInstanceStatusAsync(request.JobId, cancellationToken).ConfigureAwait(false) != JobInstanceStatus.Missing)
        {
            return;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                new TaskName(ArcpTaskRegistry.JobOrchestration),
                request,
                new StartOrchestrationOptions(InstanceId: request.JobId),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A concurrent start won, which is all a start promises; anything else is a real failure.
            if (await GetInstanceStatusAsync(request.JobId, cancellationToken).ConfigureAwait(false) == JobInstanceStatus.Missing)
            {
                throw;
            }
        }
    }

    /// <inheritdoc />
    public Task RaiseCancelAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return client.RaiseEventAsync(jobId, ArcpTaskRegistry.CancelEvent, eventPayload: null, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<JobInstanceStatus> GetInstanceStatusAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var instance = await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        return instance?.RuntimeStatus switch
        {
            null => JobInstanceStatus.Missing,
            OrchestrationRuntimeStatus.Completed => JobInstanceStatus.Completed,
            OrchestrationRuntimeStatus.Failed => JobInstanceStatus.Failed,
            OrchestrationRuntimeStatus.Terminated => JobInstanceStatus.Terminated,
            _ => JobInstanceStatus.Running,
        };
    }
}

using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Arcp.Functions.Jobs;

/// <summary>
/// <see cref="IJobScheduler"/> over the Durable Functions <see cref="DurableTaskClient"/> (bound per invocation with
/// <c>[DurableClient]</c>). The instance id is the job id. Durable Functions would replace an existing instance on a
/// second start, so a start first looks the instance up and does nothing when one exists; host.json's
/// <c>overridableExistingInstanceStates: NonRunningStates</c> rejects the rare concurrent duplicate. The start stamps
/// the configured orchestration timing into the input, so replays never read configuration.
/// </summary>
public sealed class DurableTaskClientJobScheduler(DurableTaskClient client, IOptions<JobOrchestrationOptions>? options = null) : IJobScheduler
{
    /// <inheritdoc />
    public async Task StartAsync(JobStartRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await GetInstanceStatusAsync(request.JobId, cancellationToken).ConfigureAwait(false) != JobInstanceStatus.Missing)
        {
            return;
        }

        var input = request.Settings is null ? request with { Settings = JobOrchestrationSettings.From(options?.Value ?? new JobOrchestrationOptions()) } : request;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                new TaskName(ArcpTaskRegistry.JobOrchestration),
                input,
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

    /// <summary>
    /// Tells a running instance that a cancel was requested. The Functions host refuses an event for an instance that
    /// ended or never existed; the cancel request is already durable and an ended instance has nothing left to stop, so
    /// that refusal is a success here, as it is with the local task hub (which drops such events).
    /// </summary>
    public async Task RaiseCancelAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        try
        {
            await client.RaiseEventAsync(jobId, ArcpTaskRegistry.CancelEvent, eventPayload: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (await GetInstanceStatusAsync(jobId, cancellationToken).ConfigureAwait(false) == JobInstanceStatus.Running)
            {
                throw;
            }
        }
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

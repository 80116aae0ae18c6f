using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using DurableTask.Core;
using Microsoft.Extensions.Options;

namespace Arcp.Azure.Durable;

/// <summary>
/// <see cref="IJobScheduler"/> over DurableTask.Core's <see cref="TaskHubClient"/> on the Azure Storage task hub.
/// The instance id is the job id; a start that finds any instance with that id (running or ended) changes nothing.
/// The start stamps the configured orchestration timing into the input, so replays never read configuration. A cancel
/// raised on an ended or missing instance is dropped by the backend and succeeds, as under Durable Functions.
/// </summary>
public sealed class TaskHubJobScheduler : IJobScheduler
{
    private static readonly OrchestrationStatus[] s_anyStatus = Enum.GetValues<OrchestrationStatus>();

    private readonly DurableTaskHub _hub;
    private readonly IOptions<JobOrchestrationOptions>? _options;

    internal TaskHubJobScheduler(DurableTaskHub hub, IOptions<JobOrchestrationOptions>? options = null)
    {
        _hub = hub;
        _options = options;
    }

    /// <inheritdoc />
    public async Task StartAsync(JobStartRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _hub.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _hub.Client.CreateOrchestrationInstanceAsync(
                ArcpTaskRegistry.JobOrchestration,
                string.Empty,
                request.JobId,
                request.Settings is null ? request with { Settings = JobOrchestrationSettings.From(_options?.Value ?? new JobOrchestrationOptions()) } : request,
                tags: null,
                dedupeStatuses: s_anyStatus).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException)
        {
            // Started before (a retry, or the sweeper raced the submitter): exactly what was asked.
        }
    }

    /// <inheritdoc />
    public async Task RaiseCancelAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        await _hub.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _hub.Client.RaiseEventAsync(new OrchestrationInstance { InstanceId = jobId }, ArcpTaskRegistry.CancelEvent, null!)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<JobInstanceStatus> GetInstanceStatusAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        await _hub.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var state = await _hub.Client.GetOrchestrationStateAsync(jobId).WaitAsync(cancellationToken).ConfigureAwait(false);
        return Map(state?.OrchestrationStatus);
    }

    internal static JobInstanceStatus Map(OrchestrationStatus? status) => status switch
    {
        null => JobInstanceStatus.Missing,
        OrchestrationStatus.Completed => JobInstanceStatus.Completed,
        OrchestrationStatus.Failed => JobInstanceStatus.Failed,
        OrchestrationStatus.Terminated or OrchestrationStatus.Canceled => JobInstanceStatus.Terminated,
        _ => JobInstanceStatus.Running,
    };
}

using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Arcp.Functions.Tests.Durable;

/// <summary>
/// A running engine's client with one behaviour of the Functions host added: the host looks an instance up before it
/// raises an event and refuses (an RPC error to the worker) when the instance is missing or no longer running, where
/// the engine underneath would take the event and drop it.
/// </summary>
internal sealed class HostLikeDurableTaskClient(DurableTaskClient inner) : DurableTaskClient(inner.Name)
{
    public override async Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        var instance = await inner.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellation);
        if (instance is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"No instance with ID '{instanceId}' was found."));
        }

        if (instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Cannot raise event {eventName} for orchestration instance {instanceId} because instance is in {instance.RuntimeStatus} state."));
        }

        await inner.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);
    }

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) =>
        inner.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellation);

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        inner.GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => inner.GetAllInstancesAsync(filter);

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        inner.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        inner.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        inner.SuspendInstanceAsync(instanceId, reason, cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        inner.ResumeInstanceAsync(instanceId, reason, cancellation);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

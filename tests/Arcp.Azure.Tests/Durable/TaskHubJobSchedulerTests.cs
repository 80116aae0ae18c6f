using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;

namespace Arcp.Azure.Tests.Durable;

/// <summary>
/// The local scheduler agrees with the Functions one: a cancel raised on an ended or missing instance is a success,
/// and the timing an instance runs with is stamped into its input at start.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TaskHubJobSchedulerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private DurableRuntime _runtime = null!;

    public async Task InitializeAsync() =>
        _runtime = await DurableRuntime.StartAsync(azurite.ConnectionString, configure: s => s["Arcp:Durable:CancelGracePeriod"] = "00:00:03");

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task RaiseCancel_CompletedInstance_SucceedsAndChangesNothing()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "echo");
        await _runtime.WaitInstanceCompletedAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(60));

        // Act
        await _runtime.Scheduler.RaiseCancelAsync(accepted.Payload.JobId, default);

        // Assert
        Assert.Equal(JobInstanceStatus.Completed, await _runtime.Scheduler.GetInstanceStatusAsync(accepted.Payload.JobId, default));
        Assert.Equal(JobStatus.Success, (await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default))!.Status);
    }

    [Fact]
    public async Task RaiseCancel_MissingInstance_Succeeds()
    {
        var jobId = "job_" + Guid.NewGuid().ToString("N");

        await _runtime.Scheduler.RaiseCancelAsync(jobId, default);

        Assert.Equal(JobInstanceStatus.Missing, await _runtime.Scheduler.GetInstanceStatusAsync(jobId, default));
    }

    [Fact]
    public async Task Start_ConfiguredTiming_StampedIntoTheInput()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();

        // Act
        var accepted = await _runtime.SubmitAsync(session, "echo");
        await _runtime.WaitInstanceCompletedAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(60));
        var state = await _runtime.Get<Arcp.Azure.Durable.DurableTaskHub>().Client.GetOrchestrationStateAsync(accepted.Payload.JobId);
        var input = Arcp.Azure.Durable.DurableTaskHub.InputConverter.Deserialize<JobStartRequest>(state!.Input);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(3), input.Settings!.CancelGracePeriod);
        Assert.Equal(JobOrchestrationSettings.Defaults.FinishMaxAttempts, input.Settings.FinishMaxAttempts);
    }
}

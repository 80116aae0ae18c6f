using System.Text.Json;
using Arcp.Agents.Sdk;
using Arcp.Runtime.Credentials;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Functions.Jobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Functions.Tests.Durable;

/// <summary>
/// The Functions app's orchestration, activities and timers run by a Durable engine through the Functions composition:
/// jobs end, delegate, cancel and revoke as they do on the local host.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionsOnDurableEngineTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FunctionsRuntime _runtime = null!;

    public async Task InitializeAsync() =>
        _runtime = await FunctionsRuntime.StartAsync(
            azurite.ConnectionString,
            settings => settings["Arcp:Credentials:Endpoint"] = "https://gateway.test/v1",
            services => services.AddArcpAgent<DelegateLongChildAgent>("long-parent", "1.0.0", isDefault: true));

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Submit_Echo_OrchestrationRunsAgentActivityToSuccess()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();

        // Act
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(await _runtime.SubmitAsync(session, "echo", """{"hello":"functions"}"""));
        var state = await _runtime.WaitTerminalAsync(accepted.Payload.JobId);
        var instance = await _runtime.WaitInstanceEndedAsync(accepted.Payload.JobId);

        // Assert
        Assert.Equal(JobStatus.Success, state.Status);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Contains("\"agent\"", instance.SerializedOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_Delegator_ChildrenStartedFromTheRunAgentActivity()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["agent.delegate"] = ["echo"] };

        // Act: the delegator submits its children from inside RunAgent, which must reach a Durable client.
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(await _runtime.SubmitAsync(session, "delegator", """{"children":2,"agent":"echo"}""", s => s with { LeaseRequest = lease }));
        var parent = await _runtime.WaitTerminalAsync(accepted.Payload.JobId);

        // Assert
        Assert.Equal(JobStatus.Success, parent.Status);
        var children = await _runtime.JobStore.ListChildrenAsync(accepted.Payload.JobId, default);
        Assert.Equal(2, children.Count);
        foreach (var child in children)
        {
            Assert.Equal(JobStatus.Success, (await _runtime.WaitTerminalAsync(child)).Status);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await _runtime.WaitInstanceEndedAsync(child)).RuntimeStatus);
        }
    }

    [Fact]
    public async Task RevokeCredentials_RunsOnlyForJobsThatCanHoldCredentials()
    {
        // Arrange: one session without the credentials feature, one with it.
        var plain = await _runtime.OpenSessionAsync("progress");
        var provisioned = await _runtime.OpenSessionAsync("provisioned_credentials", "progress");

        // Act
        var without = Assert.IsType<SubmitOutcome.Accepted>(await _runtime.SubmitAsync(plain, "echo", "1")).Payload.JobId;
        var with = Assert.IsType<SubmitOutcome.Accepted>(await _runtime.SubmitAsync(provisioned, "echo", "2")).Payload.JobId;
        var plainInstance = await _runtime.WaitInstanceEndedAsync(without);
        var provisionedInstance = await _runtime.WaitInstanceEndedAsync(with);

        // Assert: a job that can hold no credential ends after one activity; the other still revokes.
        Assert.Equal(OrchestrationRuntimeStatus.Completed, plainInstance.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, provisionedInstance.RuntimeStatus);
        Assert.DoesNotContain(without, _runtime.RevokedJobs);
        Assert.Contains(with, _runtime.RevokedJobs);
        Assert.Equal(0, _runtime.Get<ScopedBearerProvisioner>().LiveCount);
    }

    [Fact]
    public async Task ParentEnds_ChildHoldingCredentialsCancelledByRevokeCredentials()
    {
        // Arrange: the parent delegates a long countdown with a budget (so the child holds a credential) and returns.
        var session = await _runtime.OpenSessionAsync("provisioned_credentials", "progress");
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["agent.delegate"] = ["countdown"], ["cost.budget"] = ["USD:2.00"] };

        // Act
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(await _runtime.SubmitAsync(session, "long-parent", shape: s => s with { LeaseRequest = lease }));
        await _runtime.WaitInstanceEndedAsync(accepted.Payload.JobId);
        var childId = Assert.Single(await _runtime.JobStore.ListChildrenAsync(accepted.Payload.JobId, default));
        var child = await _runtime.WaitTerminalAsync(childId);

        // Assert: RevokeCredentials cancelled the child through the scheduler, and nothing issued is still live.
        Assert.Equal(JobStatus.Cancelled, child.Status);
        Assert.Equal("The parent job ended.", child.CancelReason);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await _runtime.WaitInstanceEndedAsync(childId)).RuntimeStatus);
        await Eventually.WaitUntilAsync(async () => (await _runtime.Get<ICredentialLedger>().ListOutstandingAsync(childId, default)).Count == 0);
        Assert.Equal(0, _runtime.Get<ScopedBearerProvisioner>().LiveCount);
    }

    [Fact]
    public async Task Cancel_RunningJob_CancelledAndInstanceCompletes()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(await _runtime.SubmitAsync(session, "countdown", """{"steps":600,"interval_ms":50}"""));
        var jobId = accepted.Payload.JobId;
        await Eventually.WaitUntilAsync(async () => (await _runtime.JobStore.GetAsync(jobId, default))!.Status == JobStatus.Running);

        // Act
        CancelOutcome outcome;
        using (AmbientJobScheduler.Bind(_runtime.Client))
        {
            outcome = await _runtime.Jobs.CancelAsync("alice", session, jobId, "enough", default);
        }

        // Assert
        Assert.IsType<CancelOutcome.Cancelled>(outcome);
        Assert.Equal(JobStatus.Cancelled, (await _runtime.WaitTerminalAsync(jobId)).Status);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await _runtime.WaitInstanceEndedAsync(jobId)).RuntimeStatus);
    }

    [Fact]
    public async Task RaiseCancel_FinishedInstance_Succeeds()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(await _runtime.SubmitAsync(session, "echo"));
        await _runtime.WaitInstanceEndedAsync(accepted.Payload.JobId);
        var scheduler = _runtime.Get<IJobScheduler>();

        // Act: through a client that refuses the event as the Functions host does.
        using (AmbientJobScheduler.Bind(new HostLikeDurableTaskClient(_runtime.Client)))
        {
            await scheduler.RaiseCancelAsync(accepted.Payload.JobId, default);
        }

        // Assert: the ended instance stays as it was.
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await _runtime.Client.GetInstanceAsync(accepted.Payload.JobId))!.RuntimeStatus);
    }

    [Fact]
    public async Task RaiseCancel_MissingInstance_Succeeds()
    {
        var scheduler = _runtime.Get<IJobScheduler>();

        using (AmbientJobScheduler.Bind(new HostLikeDurableTaskClient(_runtime.Client)))
        {
            await scheduler.RaiseCancelAsync("job_" + Guid.NewGuid().ToString("N"), default);
        }
    }

    [Fact]
    public async Task RaiseCancel_RunningInstanceThroughHostLikeClient_CancelDelivered()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(await _runtime.SubmitAsync(session, "countdown", """{"steps":600,"interval_ms":50}"""));
        var jobId = accepted.Payload.JobId;
        await Eventually.WaitUntilAsync(async () => (await _runtime.JobStore.GetAsync(jobId, default))!.Status == JobStatus.Running);

        // Act
        CancelOutcome outcome;
        using (AmbientJobScheduler.Bind(new HostLikeDurableTaskClient(_runtime.Client)))
        {
            outcome = await _runtime.Jobs.CancelAsync("alice", session, jobId, "enough", default);
        }

        // Assert
        Assert.IsType<CancelOutcome.Cancelled>(outcome);
        Assert.Equal(JobStatus.Cancelled, (await _runtime.WaitTerminalAsync(jobId)).Status);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await _runtime.WaitInstanceEndedAsync(jobId)).RuntimeStatus);
    }

    [Fact]
    public async Task JobSweeperTimer_AcceptedJobWithoutInstance_StartsItToSuccess()
    {
        // Arrange: recorded and accepted, but the process died before starting the orchestration.
        var session = await _runtime.OpenSessionAsync();
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(await _runtime.SubmitAsync(session, "echo", start: false));
        Assert.Null(await _runtime.Client.GetInstanceAsync(accepted.Payload.JobId));

        // Act
        var sweep = await _runtime.SweepJobsAsync();

        // Assert
        Assert.True(sweep.Started >= 1);
        Assert.Equal(JobStatus.Success, (await _runtime.WaitTerminalAsync(accepted.Payload.JobId)).Status);
    }

    [Fact]
    public async Task WebPubSubSweeperTimer_WebPubSubNotConfigured_DoesNothing()
    {
        await _runtime.SweepWebPubSubAsync();
    }

    /// <summary>Delegates one long countdown under a budget and returns at once.</summary>
    private sealed class DelegateLongChildAgent : IAgent
    {
        public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            var child = await context.DelegateAsync(
                "countdown",
                JsonDocument.Parse("""{"steps":600,"interval_ms":50}""").RootElement,
                new Dictionary<string, IReadOnlyList<string>> { ["cost.budget"] = ["USD:1.00"] });
            return JsonSerializer.SerializeToElement(child.JobId);
        }
    }
}

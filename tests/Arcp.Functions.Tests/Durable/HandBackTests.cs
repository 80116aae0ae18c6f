using Arcp.Agents.Sdk;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Microsoft.DurableTask.Client;

namespace Arcp.Functions.Tests.Durable;

/// <summary>
/// A run handed back while the Functions host keeps running (an outage escaped the agent, another worker took the
/// claim over) is not an activity failure: the job runs again instead of failing after the activity's retries.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HandBackTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RunHandedBackFourTimes_OrchestrationSchedulesItAgain_JobSucceeds()
    {
        // Arrange: four hand-backs, more than the three tries of the activity's retry policy.
        await using var runtime = await FunctionsRuntime.StartAsync(
            azurite.ConnectionString,
            services: s => s.AddArcpAgent<OutageUntilAttemptAgent>(OutageUntilAttemptAgent.Name, "1.0.0", isDefault: true));
        var session = await runtime.OpenSessionAsync();

        // Act
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(await runtime.SubmitAsync(session, OutageUntilAttemptAgent.Name, "5"));
        var state = await runtime.WaitTerminalAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(120));
        var instance = await runtime.WaitInstanceEndedAsync(accepted.Payload.JobId);

        // Assert
        Assert.Equal(JobStatus.Success, state.Status);
        Assert.Equal(5, state.Attempt);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Contains("\"agent\"", instance.SerializedOutput, StringComparison.Ordinal);
    }
}

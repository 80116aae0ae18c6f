using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Sessions;
using Arcp.Runtime.Sessions.Handlers;

namespace Arcp.Runtime.Tests.Sessions.Handlers;

public sealed class JobSubmitHandlerTests
{
    [Fact]
    public async Task Accepted_JobAcceptedSentWithReplyTo_ThenTheJobRunsToSuccess()
    {
        await using var harness = new RuntimeHarness();
        var handler = new JobSubmitHandler(harness.Jobs, harness.Get<SessionSender>(), harness.Get<SignalHub>());
        var (connection, output) = await HandlerKit.OpenAsync(harness);
        var submit = HandlerKit.Message("job.submit", """{"agent":"echo","input":{"text":"hi"}}""");

        await handler.HandleAsync(connection, submit, CancellationToken.None);

        var reply = Assert.Single(output.Messages);
        var accepted = Assert.IsType<JobAccepted>(reply.Payload);
        Assert.Equal(accepted.JobId, reply.JobId);
        await harness.WaitForEndAsync(accepted.JobId);
        var state = await harness.JobStore.GetAsync(accepted.JobId, default);
        Assert.Equal(JobStatus.Success, state!.Status);
        Assert.Equal(connection.SessionId, state.Definition.SubmitterSessionId);
        Assert.Equal("alice", state.Definition.Principal);
    }

    [Fact]
    public async Task UnknownAgent_AgentNotAvailable_RepliesToTheSubmit_NoJobIndexed()
    {
        await using var harness = new RuntimeHarness();
        var handler = new JobSubmitHandler(harness.Jobs, harness.Get<SessionSender>(), harness.Get<SignalHub>());
        var (connection, output) = await HandlerKit.OpenAsync(harness);
        var submit = HandlerKit.Message("job.submit", """{"agent":"no-such-agent"}""");

        await handler.HandleAsync(connection, submit, CancellationToken.None);

        HandlerKit.AssertError(Assert.Single(output.Messages), ErrorCode.AgentNotAvailable, submit.Id);
        Assert.Empty(await harness.Get<Runtime.Jobs.IPrincipalJobIndex>().ListAsync("alice", null, 10, default));
    }

    [Fact]
    public async Task BadParameters_InvalidRequest_NamesTheField()
    {
        await using var harness = new RuntimeHarness();
        var handler = new JobSubmitHandler(harness.Jobs, harness.Get<SessionSender>(), harness.Get<SignalHub>());
        var (connection, output) = await HandlerKit.OpenAsync(harness);
        var submit = HandlerKit.Message("job.submit", """{"agent":"echo","lease_constraints":{"expires_at":"2020-01-01T00:00:00Z"}}""");

        await handler.HandleAsync(connection, submit, CancellationToken.None);

        var reply = Assert.Single(output.Messages);
        HandlerKit.AssertError(reply, ErrorCode.InvalidRequest, submit.Id);
        Assert.Contains("expires_at", HandlerKit.Error(reply).Message, StringComparison.Ordinal);
    }
}

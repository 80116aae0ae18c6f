using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Sessions;
using Arcp.Runtime.Sessions.Handlers;

namespace Arcp.Runtime.Tests.Sessions.Handlers;

public sealed class JobCancelHandlerTests
{
    [Fact]
    public async Task OwnRunningJob_JobCancelled_AndTheJobEndsCancelled()
    {
        await using var harness = new RuntimeHarness();
        var handler = new JobCancelHandler(harness.Jobs, harness.Get<SessionSender>());
        var (connection, output) = await HandlerKit.OpenAsync(harness);
        var job = await harness.SubmitAsync(connection.SessionId, "countdown", """{"steps":1000,"interval_ms":50}""");

        await handler.HandleAsync(connection, HandlerKit.Message("job.cancel", $$"""{"job_id":"{{job.Payload.JobId}}","reason":"enough"}"""), CancellationToken.None);

        var cancelled = Assert.IsType<JobCancelled>(Assert.Single(output.Messages).Payload);
        Assert.Equal(job.Payload.JobId, cancelled.JobId);
        await harness.WaitForEndAsync(job.Payload.JobId);
        Assert.Equal(JobStatus.Cancelled, (await harness.JobStore.GetAsync(job.Payload.JobId, default))!.Status);
    }

    [Fact]
    public async Task JobIdOnTheEnvelopeOnly_IsEnough()
    {
        await using var harness = new RuntimeHarness();
        var handler = new JobCancelHandler(harness.Jobs, harness.Get<SessionSender>());
        var (connection, output) = await HandlerKit.OpenAsync(harness);
        var job = await harness.SubmitAsync(connection.SessionId, "countdown", """{"steps":1000,"interval_ms":50}""");

        await handler.HandleAsync(connection, HandlerKit.Message("job.cancel", "{}", job.Payload.JobId), CancellationToken.None);

        Assert.IsType<JobCancelled>(Assert.Single(output.Messages).Payload);
        await harness.WaitForEndAsync(job.Payload.JobId);
    }

    [Theory]
    [InlineData("alice", ErrorCode.PermissionDenied)] // same principal, not the submitting session
    [InlineData("bob", ErrorCode.JobNotFound)] // another principal: answered like an unknown job, so existence never leaks
    public async Task SomeoneElsesJob_Refused_AndTheJobRunsOn(string otherPrincipal, ErrorCode expected)
    {
        await using var harness = new RuntimeHarness();
        var handler = new JobCancelHandler(harness.Jobs, harness.Get<SessionSender>());
        var (owner, _) = await HandlerKit.OpenAsync(harness);
        var (other, output) = await HandlerKit.OpenAsync(harness, otherPrincipal);
        var job = await harness.SubmitAsync(owner.SessionId, "countdown", """{"steps":1000,"interval_ms":50}""");
        var cancel = HandlerKit.Message("job.cancel", $$"""{"job_id":"{{job.Payload.JobId}}"}""");

        await handler.HandleAsync(other, cancel, CancellationToken.None);

        HandlerKit.AssertError(Assert.Single(output.Messages), expected, cancel.Id);
        var state = await harness.JobStore.GetAsync(job.Payload.JobId, default);
        Assert.False(state!.Sealed);
        Assert.False(state.CancelRequested);
        await harness.Jobs.CancelAsync("alice", owner.SessionId, job.Payload.JobId, null, default);
        await harness.WaitForEndAsync(job.Payload.JobId);
    }

    [Fact]
    public async Task NoJobId_InvalidRequest()
    {
        await using var harness = new RuntimeHarness();
        var handler = new JobCancelHandler(harness.Jobs, harness.Get<SessionSender>());
        var (connection, output) = await HandlerKit.OpenAsync(harness);
        var cancel = HandlerKit.Message("job.cancel", "{}");

        await handler.HandleAsync(connection, cancel, CancellationToken.None);

        HandlerKit.AssertError(Assert.Single(output.Messages), ErrorCode.InvalidRequest, cancel.Id);
    }
}

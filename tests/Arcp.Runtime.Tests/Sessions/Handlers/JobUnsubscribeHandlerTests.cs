using Arcp.Runtime.Sessions;
using Arcp.Runtime.Sessions.Handlers;

namespace Arcp.Runtime.Tests.Sessions.Handlers;

public sealed class JobUnsubscribeHandlerTests
{
    [Fact]
    public async Task Observer_Unsubscribed_SubmitterSubscriptionStays_NoReply()
    {
        await using var harness = new RuntimeHarness();
        var handler = new JobUnsubscribeHandler(harness.Sessions);
        var (owner, ownerOutput) = await HandlerKit.OpenAsync(harness);
        var (observer, observerOutput) = await HandlerKit.OpenAsync(harness);
        var job = await harness.SubmitAsync(owner.SessionId, "echo", start: false);
        var state = (await harness.JobStore.GetAsync(job.Payload.JobId, default))!;
        await harness.Sessions.SubscribeAsync(observer.SessionId, new SessionSubscription(state.JobId, IsSubmitter: false, state.Definition.TraceId, Redact: false, state.EventCount, LastSeq: 0), default);
        var unsubscribe = $$"""{"job_id":"{{job.Payload.JobId}}"}""";

        await handler.HandleAsync(observer, HandlerKit.Message("job.unsubscribe", unsubscribe), CancellationToken.None);
        await handler.HandleAsync(owner, HandlerKit.Message("job.unsubscribe", unsubscribe), CancellationToken.None);

        Assert.Null(await harness.Sessions.GetSubscriptionAsync(observer.SessionId, job.Payload.JobId, default));
        Assert.Contains(job.Payload.JobId, observer.FinishedJobs);
        Assert.True((await harness.Sessions.GetSubscriptionAsync(owner.SessionId, job.Payload.JobId, default))!.IsSubmitter);
        Assert.DoesNotContain(job.Payload.JobId, owner.FinishedJobs);
        Assert.Empty(ownerOutput.Messages);
        Assert.Empty(observerOutput.Messages);
    }
}

using System.Reflection;
using System.Text.Json;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Runtime.Tests.Jobs;

/// <summary>
/// A submit writes the job, the submitter's subscription and the index row at once; when only the subscription fails
/// the client gets an error and sends the same idempotency key again — the replay must restore what was lost.
/// </summary>
public sealed class SubmitPartialFailureTests : IAsyncDisposable
{
    private readonly RuntimeHarness _runtime = new(services =>
        services.AddSingleton(_ => SubscribeFailsOnce.Wrap(new InMemorySessionStore())));

    public ValueTask DisposeAsync() => _runtime.DisposeAsync();

    [Fact]
    public async Task Submit_SubscriptionWriteFailedJobCreated_ReplayOfTheKeySubscribesTheSubmitterWhoGetsTheResult()
    {
        // Arrange: the first submit's subscription write fails after the job row landed.
        var session = await _runtime.OpenSessionAsync();
        var submit = new JobSubmit("echo", JsonDocument.Parse("""{"n":1}""").RootElement.Clone(), IdempotencyKey: "k-lost-subscription");
        var request = new SubmitRequest("alice", session, ["progress"], submit, "msg_1", null);
        await Assert.ThrowsAsync<IOException>(() => _runtime.Jobs.SubmitAsync(request, default));

        // Act: the client sends the same key again.
        var replay = Assert.IsType<SubmitOutcome.Accepted>(await _runtime.Jobs.SubmitAsync(request with { RequestId = "msg_2" }, default));
        await _runtime.Jobs.StartAsync(replay.Start, default);
        await _runtime.WaitForEndAsync(replay.Payload.JobId);

        // Assert
        Assert.True(replay.Replayed);
        Assert.NotNull(await _runtime.Sessions.GetSubscriptionAsync(session, replay.Payload.JobId, default));
        var envelopes = await _runtime.ReadEnvelopesAsync(session);
        Assert.Contains(envelopes, e => e.GetProperty("type").GetString() == "job.result" && e.GetProperty("job_id").GetString() == replay.Payload.JobId);
    }

    /// <summary>A session store whose first subscription write fails.</summary>
    public class SubscribeFailsOnce : DispatchProxy
    {
        private ISessionStore _inner = null!;
        private int _failuresLeft = 1;

        public static ISessionStore Wrap(ISessionStore inner)
        {
            var proxy = Create<ISessionStore, SubscribeFailsOnce>();
            ((SubscribeFailsOnce)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(ISessionStore.SubscribeAsync) && Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                return Task.FromException<SubscribeResult>(new IOException("the subscription write failed"));
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
            {
                throw inner;
            }
        }
    }
}

using System.Text.Json;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Agents;
using Arcp.Agents.Sdk;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Sweeping;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Runtime.Tests.Jobs;

/// <summary>A job's life does not depend on its session: retention may delete the session while the job runs on.</summary>
public sealed class SessionIndependenceTests : IAsyncLifetime
{
    private readonly Gate _gate = new();
    private readonly RuntimeHarness _runtime;

    public SessionIndependenceTests() => _runtime = new RuntimeHarness(services =>
    {
        services.AddSingleton(_gate);
        services.AddArcpAgent<GatedDelegatorAgent>("gated-parent", "1.0.0", isDefault: true);
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task ChildSubmit_AfterRetentionDeletedTheSubmittersSession_ChildRunsAndParentSucceeds()
    {
        // Arrange: a running parent whose session detached longer ago than the resume window, swept by retention.
        var session = await _runtime.OpenSessionAsync();
        var parent = await _runtime.SubmitAsync(session, "gated-parent", shape: s => s with { LeaseRequest = new Dictionary<string, IReadOnlyList<string>> { ["agent.delegate"] = ["echo"] } });
        await _gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var meta = (await _runtime.Sessions.GetAsync(session, default))!;
        Assert.NotNull(await _runtime.Sessions.TryUpdateAsync(meta, meta with { DetachedAt = DateTimeOffset.UtcNow.AddDays(-1) }, default));
        var pruned = await _runtime.Get<RetentionSweeper>().PruneAsync(default);
        Assert.Equal(1, pruned.Sessions);
        Assert.Null(await _runtime.Sessions.GetAsync(session, default));

        // Act: the parent delegates now.
        _gate.Release.SetResult();
        await _runtime.Scheduler.WhenRunEndsAsync(parent.Payload.JobId).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert: the parent succeeded with its child's id, and the child ran to its end.
        var parentState = (await _runtime.JobStore.GetAsync(parent.Payload.JobId, default))!;
        Assert.Equal(JobStatus.Success, parentState.Status);
        var childId = await _gate.ChildId.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await _runtime.Scheduler.WhenRunEndsAsync(childId).WaitAsync(TimeSpan.FromSeconds(30));
        var child = (await _runtime.JobStore.GetAsync(childId, default))!;
        Assert.Equal(JobStatus.Success, child.Status);
        Assert.Equal(parent.Payload.JobId, child.Definition.ParentJobId);
    }

    private sealed class Gate
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> ChildId { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Waits for the test's go, then delegates an echo child and returns its id.</summary>
    private sealed class GatedDelegatorAgent(Gate gate) : IAgent
    {
        public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            gate.Started.TrySetResult();
            await gate.Release.Task.WaitAsync(cancellationToken);
            var child = await context.DelegateAsync("echo", JsonDocument.Parse("""{"x":1}""").RootElement);
            gate.ChildId.TrySetResult(child.JobId);
            return JsonSerializer.SerializeToElement(child.JobId);
        }
    }
}

using System.Diagnostics;
using System.Text.Json;
using Arcp.Agents.Sdk;
using Arcp.Azure.Durable;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Sweeping;
using DurableTask.Core.History;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Arcp.Azure.Tests.Durable;

/// <summary>Work that a stopping or crashed node leaves behind is picked up again, on the real backend.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RedeliveryTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task HostStopsMidRun_ActivityAbandonedNotFailed_NextWorkerFinishesEveryStepOnce()
    {
        // Arrange: worker A runs a countdown; its host starts stopping mid-run.
        var hub = DurableRuntime.NewTaskHubName();
        var prefix = DurableRuntime.NewTablePrefix();
        using var lifetimeA = new TestLifetime();
        var workerA = await DurableRuntime.StartAsync(azurite.ConnectionString, taskHubName: hub, tablePrefix: prefix, services: s => s.AddSingleton<IHostApplicationLifetime>(lifetimeA));
        var session = await workerA.OpenSessionAsync();
        var accepted = await workerA.SubmitAsync(session, "countdown", """{"steps":20,"interval_ms":100}""");
        var jobId = accepted.Payload.JobId;
        while ((await workerA.JobStore.GetAsync(jobId, default))!.EventCount < 3)
        {
            await Task.Delay(20);
        }

        // Act
        lifetimeA.StopApplication();
        await workerA.DisposeAsync(deleteStorage: false);
        var clock = Stopwatch.StartNew();
        await using var workerB = await DurableRuntime.StartAsync(azurite.ConnectionString, taskHubName: hub, tablePrefix: prefix);
        var abandonedAt = (await workerB.JobStore.GetAsync(jobId, default))!;
        var state = await workerB.WaitTerminalAsync(jobId, TimeSpan.FromSeconds(90));
        var events = await workerB.ReadEventsAsync(jobId);
        await workerB.WaitInstanceCompletedAsync(jobId, TimeSpan.FromSeconds(60));
        var client = workerB.Get<DurableTaskHub>().Client;
        var instance = (await client.GetOrchestrationStateAsync(jobId))!.OrchestrationInstance;
        using var historyJson = JsonDocument.Parse(await client.GetOrchestrationHistoryAsync(instance));
        var history = historyJson.RootElement.EnumerateArray().Select(e => (EventType)e.GetProperty("EventType").GetInt32()).ToList();

        // Assert
        output.WriteLine($"abandoned at {abandonedAt.EventCount} events; finished {clock.Elapsed.TotalSeconds:F1} s after the second worker started");
        Assert.Equal(JobStatus.Running, abandonedAt.Status);
        Assert.DoesNotContain(EventType.TaskFailed, history);
        Assert.Contains(EventType.TaskCompleted, history);
        Assert.Equal(JobStatus.Success, state.Status);
        Assert.Equal(2, state.Attempt);
        Assert.Equal(Enumerable.Range(1, 20), events.Take(20).Select(ProgressCurrent));
        Assert.Equal(21, events.Count);
        Assert.Equal(JobEventTypes.Result, events[^1].Type);
    }

    [Fact]
    public async Task RunHandedBackFiveTimes_EachHandBackScheduledAsANewRun_JobSucceedsWithoutQueueBackoff()
    {
        // Arrange: the agent's storage "stays out" on its first five attempts (the outage escapes the agent, so the
        // runner hands the run back while the host keeps running).
        await using var runtime = await DurableRuntime.StartAsync(
            azurite.ConnectionString,
            services: s => s.AddArcpAgent<OutageUntilAttemptAgent>(OutageUntilAttemptAgent.Name, "1.0.0", isDefault: true));
        var session = await runtime.OpenSessionAsync();

        // Act
        var clock = Stopwatch.StartNew();
        var accepted = await runtime.SubmitAsync(session, OutageUntilAttemptAgent.Name, "6");
        var jobId = accepted.Payload.JobId;
        var state = await runtime.WaitTerminalAsync(jobId, TimeSpan.FromSeconds(150));
        var elapsed = clock.Elapsed;
        await runtime.WaitInstanceCompletedAsync(jobId, TimeSpan.FromSeconds(60));
        var client = runtime.Get<DurableTaskHub>().Client;
        var instance = (await client.GetOrchestrationStateAsync(jobId))!.OrchestrationInstance;
        using var historyJson = JsonDocument.Parse(await client.GetOrchestrationHistoryAsync(instance));
        var runsScheduled = historyJson.RootElement.EnumerateArray().Count(e =>
            (EventType)e.GetProperty("EventType").GetInt32() == EventType.TaskScheduled
            && e.GetProperty("Name").GetString() == Runtime.Jobs.Orchestration.ArcpTaskRegistry.RunAgent);
        var history = historyJson.RootElement.EnumerateArray().Select(e => (EventType)e.GetProperty("EventType").GetInt32()).ToList();

        // Assert: six runs, each its own work item (a redelivered one would wait 2 + 4 + 8 + 16 + 32 s of queue
        // backoff; the orchestration's own pauses after the second hand-back add 2 + 4 + 8 s).
        output.WriteLine($"succeeded {elapsed.TotalSeconds:F1} s after submit; {runsScheduled} runs scheduled");
        Assert.Equal(JobStatus.Success, state.Status);
        Assert.Equal(6, state.Attempt);
        Assert.Equal(6, runsScheduled);
        Assert.DoesNotContain(EventType.TaskFailed, history);
        Assert.True(elapsed < TimeSpan.FromSeconds(55), $"took {elapsed.TotalSeconds:F1} s: the hand-backs waited for queue redelivery");
    }

    [Fact]
    public async Task Sweep_AcceptedJobWithoutInstance_StartsItOnTheTaskHub()
    {
        // Arrange: accepted, but never started (the submitting node died in between).
        await using var runtime = await DurableRuntime.StartAsync(azurite.ConnectionString, configure: s => s["Arcp:Sweeper:StartMissingAfter"] = "00:00:00");
        var session = await runtime.OpenSessionAsync();
        var accepted = await runtime.SubmitAsync(session, "echo", "7", start: false);
        var before = await runtime.Scheduler.GetInstanceStatusAsync(accepted.Payload.JobId, default);

        // Act
        var sweeper = runtime.Get<JobSweeper>();
        var result = await sweeper.SweepAsync(runtime.Scheduler, default);
        var state = await runtime.WaitTerminalAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(60));
        await runtime.WaitInstanceCompletedAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(30));
        var again = await sweeper.SweepAsync(runtime.Scheduler, default);

        // Assert
        Assert.Equal(JobInstanceStatus.Missing, before);
        Assert.True(result.Started >= 1);
        Assert.Equal(JobStatus.Success, state.Status);
        Assert.DoesNotContain(accepted.Payload.JobId, (await runtime.JobStore.ListNonTerminalAsync(1000, default)).Select(s => s.JobId));
        Assert.Equal(0, again.Started);
    }

    private static int ProgressCurrent(StoredJobEvent e)
    {
        using var document = JsonDocument.Parse(e.PayloadJson);
        return document.RootElement.GetProperty("body").GetProperty("current").GetInt32();
    }

    private sealed class TestLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}

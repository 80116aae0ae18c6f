using System.Diagnostics;
using System.Text.Json;
using Arcp.Protocol.Json;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Xunit.Abstractions;

namespace Arcp.Azure.Tests.Durable;

/// <summary>Jobs end to end through <see cref="JobService"/>, the Table stores and the real Durable Task backend.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobOrchestrationTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private DurableRuntime _runtime = null!;

    public async Task InitializeAsync() => _runtime = await DurableRuntime.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Submit_Echo_ResultIsLastEventAndInstanceCompletes()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();

        // Act
        var clock = Stopwatch.StartNew();
        var accepted = await _runtime.SubmitAsync(session, "echo", """{"b":2,"a":[1,"x"]}""");
        var state = await _runtime.WaitTerminalAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(60));
        var toTerminal = clock.Elapsed;
        await _runtime.WaitInstanceCompletedAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(15));
        var events = await _runtime.ReadEventsAsync(accepted.Payload.JobId);

        // Assert
        output.WriteLine($"submit -> terminal {toTerminal.TotalMilliseconds:F0} ms (cold worker)");
        Assert.Equal(JobStatus.Success, state.Status);
        Assert.Equal(1, state.Attempt);
        var result = Assert.Single(events);
        Assert.Equal(JobEventTypes.Result, result.Type);
        using var payload = JsonDocument.Parse(result.PayloadJson);
        Assert.Equal(2, payload.RootElement.GetProperty("result").GetProperty("b").GetInt32());
    }

    [Fact]
    public async Task Submit_Countdown_EveryStepOnceInOrderTerminalLast()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        await WarmUpAsync(session);

        // Act
        var clock = Stopwatch.StartNew();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":5,"interval_ms":10}""");
        var firstEvent = await WaitForEventsAsync(accepted.Payload.JobId, 1, TimeSpan.FromSeconds(30));
        var state = await _runtime.WaitTerminalAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(60));
        var events = await _runtime.ReadEventsAsync(accepted.Payload.JobId);

        // Assert
        output.WriteLine($"submit -> first event {firstEvent.TotalMilliseconds:F0} ms, -> terminal {clock.Elapsed.TotalMilliseconds:F0} ms (warm worker)");
        Assert.Equal(JobStatus.Success, state.Status);
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], events.Select(e => e.Index));
        Assert.Equal([1, 2, 3, 4, 5], events.Take(5).Select(ProgressCurrent));
        Assert.Equal(JobEventTypes.Result, events[^1].Type);
        Assert.Single(events, e => e.Type is JobEventTypes.Result or JobEventTypes.Error);
        Assert.Equal(JobInstanceStatus.Completed, await WaitCompletedStatusAsync(accepted.Payload.JobId));
    }

    [Fact]
    public async Task Cancel_RunningCountdown_CancelledAndInstanceCompletesWithinSeconds()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":1000,"interval_ms":50}""");
        var jobId = accepted.Payload.JobId;
        await WaitForEventsAsync(jobId, 2, TimeSpan.FromSeconds(60));

        // Act
        var clock = Stopwatch.StartNew();
        var cancel = await _runtime.Jobs.CancelAsync("alice", session, jobId, "enough", default);
        var state = await _runtime.WaitTerminalAsync(jobId, TimeSpan.FromSeconds(30));
        var terminalAfter = clock.Elapsed;
        await _runtime.WaitInstanceCompletedAsync(jobId, TimeSpan.FromSeconds(30));
        var instanceEnded = clock.Elapsed;
        var events = await _runtime.ReadEventsAsync(jobId);

        // Assert
        output.WriteLine($"cancel -> terminal {terminalAfter.TotalMilliseconds:F0} ms, -> instance Completed {instanceEnded.TotalMilliseconds:F0} ms");
        Assert.IsType<CancelOutcome.Cancelled>(cancel);
        Assert.Equal(JobStatus.Cancelled, state.Status);
        Assert.True(instanceEnded < TimeSpan.FromSeconds(10), $"instance took {instanceEnded} to complete after the cancel");
        var terminal = Assert.Single(events, e => e.Type is JobEventTypes.Result or JobEventTypes.Error);
        Assert.Same(terminal, events[^1]);
        Assert.Equal("CANCELLED", Code(terminal));
        Assert.True(events.Count < 1000);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Index));
    }

    [Fact]
    public async Task Cancel_BeforeStart_CancelledWithoutRunningTheAgent()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":3,"interval_ms":1}""", start: false);
        var jobId = accepted.Payload.JobId;

        // Act
        var cancel = await _runtime.Jobs.CancelAsync("alice", session, jobId, null, default);
        await _runtime.Jobs.StartAsync(accepted.Start, default);
        var state = await _runtime.WaitTerminalAsync(jobId, TimeSpan.FromSeconds(60));
        await _runtime.WaitInstanceCompletedAsync(jobId, TimeSpan.FromSeconds(30));
        var events = await _runtime.ReadEventsAsync(jobId);

        // Assert
        Assert.IsType<CancelOutcome.Cancelled>(cancel);
        Assert.Equal(JobStatus.Cancelled, state.Status);
        Assert.Equal(0, state.Attempt);
        Assert.Equal("CANCELLED", Code(Assert.Single(events)));
    }

    [Fact]
    public async Task Cancel_AfterFinish_AnsweredAndNothingChanges()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "echo", "1");
        var jobId = accepted.Payload.JobId;
        await _runtime.WaitTerminalAsync(jobId, TimeSpan.FromSeconds(60));
        await _runtime.WaitInstanceCompletedAsync(jobId, TimeSpan.FromSeconds(30));
        var before = await _runtime.JobStore.GetAsync(jobId, default);

        // Act
        var cancel = await _runtime.Jobs.CancelAsync("alice", session, jobId, null, default);
        await Task.Delay(1500);

        // Assert
        Assert.Equal(JobStatus.Success, Assert.IsType<CancelOutcome.AlreadyTerminal>(cancel).Status);
        var after = await _runtime.JobStore.GetAsync(jobId, default);
        Assert.Equal(before!.Version, after!.Version);
        Assert.Single(await _runtime.ReadEventsAsync(jobId));
        Assert.Equal(JobInstanceStatus.Completed, await _runtime.Scheduler.GetInstanceStatusAsync(jobId, default));
    }

    [Fact]
    public async Task MaxRuntime_Elapses_TimedOutWithTimeoutCodeAndInstanceCompletes()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();

        // Act
        var clock = Stopwatch.StartNew();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":1000,"interval_ms":50}""", s => s with { MaxRuntimeSec = 3 });
        var state = await _runtime.WaitTerminalAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(60));
        output.WriteLine($"submit -> timed_out {clock.Elapsed.TotalMilliseconds:F0} ms (max_runtime_sec 3)");
        var instanceEnded = await _runtime.WaitInstanceCompletedAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(30));
        var events = await _runtime.ReadEventsAsync(accepted.Payload.JobId);

        // Assert
        Assert.Equal(JobStatus.TimedOut, state.Status);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.9), "ended before its runtime was up");
        Assert.Equal("TIMEOUT", Code(events[^1]));
        Assert.Single(events, e => e.Type is JobEventTypes.Result or JobEventTypes.Error);
        Assert.True(instanceEnded < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task LeaseExpiry_MidRun_ErrorWithLeaseExpiredAndInstanceCompletes()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        var expiresAt = ArcpTimestamp.Format(DateTimeOffset.UtcNow.AddSeconds(4));

        // Act
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":1000,"interval_ms":50}""", s => s with { LeaseConstraints = new LeaseConstraints(expiresAt) });
        var state = await _runtime.WaitTerminalAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(60));
        var instanceEnded = await _runtime.WaitInstanceCompletedAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(30));
        var events = await _runtime.ReadEventsAsync(accepted.Payload.JobId);

        // Assert
        Assert.Equal(JobStatus.Error, state.Status);
        Assert.Equal("LEASE_EXPIRED", Code(events[^1]));
        Assert.Single(events, e => e.Type is JobEventTypes.Result or JobEventTypes.Error);
        Assert.True(events.Count > 2, "the agent ran before the lease expired");
        Assert.True(instanceEnded < TimeSpan.FromSeconds(10));
    }

    private async Task WarmUpAsync(string session)
    {
        var warm = await _runtime.SubmitAsync(session, "echo", "0");
        await _runtime.WaitTerminalAsync(warm.Payload.JobId, TimeSpan.FromSeconds(60));
    }

    private async Task<TimeSpan> WaitForEventsAsync(string jobId, long count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while ((await _runtime.JobStore.GetAsync(jobId, default))!.EventCount < count)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Job {jobId} has fewer than {count} events after {timeout}.");
            }

            await Task.Delay(10);
        }

        return clock.Elapsed;
    }

    private async Task<JobInstanceStatus> WaitCompletedStatusAsync(string jobId)
    {
        await _runtime.WaitInstanceCompletedAsync(jobId, TimeSpan.FromSeconds(15));
        return await _runtime.Scheduler.GetInstanceStatusAsync(jobId, default);
    }

    private static int ProgressCurrent(StoredJobEvent e)
    {
        using var document = JsonDocument.Parse(e.PayloadJson);
        Assert.Equal("progress", document.RootElement.GetProperty("kind").GetString());
        return document.RootElement.GetProperty("body").GetProperty("current").GetInt32();
    }

    private static string? Code(StoredJobEvent e)
    {
        Assert.Equal(JobEventTypes.Error, e.Type);
        using var document = JsonDocument.Parse(e.PayloadJson);
        return document.RootElement.GetProperty("code").GetString();
    }
}

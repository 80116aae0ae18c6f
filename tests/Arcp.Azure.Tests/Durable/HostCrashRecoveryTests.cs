using System.Diagnostics;
using System.Text.Json;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Xunit.Abstractions;

namespace Arcp.Azure.Tests.Durable;

/// <summary>
/// <c>Arcp.Host</c> processes as the workers (configured only through environment variables), this process as a
/// client that only submits: a killed host's job is finished by another, and two hosts share the work.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HostCrashRecoveryTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _taskHub = DurableRuntime.NewTaskHubName();
    private readonly string _tablePrefix = DurableRuntime.NewTablePrefix();
    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("arcp-durable-");
    private readonly List<HostProcess> _hosts = [];
    private DurableRuntime _client = null!;

    public async Task InitializeAsync() =>
        _client = await DurableRuntime.StartAsync(azurite.ConnectionString, workerless: true, taskHubName: _taskHub, tablePrefix: _tablePrefix);

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _client.DisposeAsync();
        _workDir.Delete(recursive: true);
    }

    [Fact]
    public async Task HostKilledMidJob_SecondHostFinishesIt_EveryStepOnceAndAttemptTwo()
    {
        // Arrange
        var first = await StartHostAsync();
        var session = await _client.OpenSessionAsync();
        var accepted = await _client.SubmitAsync(session, "countdown", """{"steps":40,"interval_ms":200}""");
        var jobId = accepted.Payload.JobId;
        await WaitForEventCountAsync(jobId, 5, TimeSpan.FromSeconds(60));

        // Act
        await first.KillAsync();
        var killedAt = Stopwatch.StartNew();
        var progressAtKill = (await _client.JobStore.GetAsync(jobId, default))!.EventCount;
        await StartHostAsync();
        var state = await _client.WaitTerminalAsync(jobId, TimeSpan.FromSeconds(120));
        var recoveredAfter = killedAt.Elapsed;
        var events = await _client.ReadEventsAsync(jobId);

        // Assert
        output.WriteLine($"killed after {progressAtKill} events; job finished {recoveredAfter.TotalSeconds:F1} s after the kill");
        Assert.Equal(JobStatus.Success, state.Status);
        Assert.Equal(2, state.Attempt);
        Assert.Equal(41, events.Count);
        Assert.Equal(Enumerable.Range(1, 40), events.Take(40).Select(ProgressCurrent));
        Assert.Equal(JobEventTypes.Result, events[^1].Type);
        Assert.Equal(Enumerable.Range(1, 41).Select(i => (long)i), events.Select(e => e.Index));
    }

    [Fact]
    public async Task HostKilledMidJob_CancelledWhileNoHostRunsIt_EndsCancelledOnceOnTheNextHost()
    {
        // Arrange: the only host runs a long job, then dies.
        var first = await StartHostAsync();
        var session = await _client.OpenSessionAsync();
        var accepted = await _client.SubmitAsync(session, "countdown", """{"steps":400,"interval_ms":100}""");
        var jobId = accepted.Payload.JobId;
        await WaitForEventCountAsync(jobId, 3, TimeSpan.FromSeconds(60));
        await first.KillAsync();

        // Act: the cancel lands while nobody runs the job (the instance's host is dead); then a new host starts.
        var cancel = await _client.Jobs.CancelAsync("alice", session, jobId, "stop it", default);
        var cancelledAt = Stopwatch.StartNew();
        var afterCancel = (await _client.JobStore.GetAsync(jobId, default))!;
        await StartHostAsync();
        var state = await _client.WaitTerminalAsync(jobId, TimeSpan.FromSeconds(120));
        var endedAfter = cancelledAt.Elapsed;
        var completedAfter = await _client.WaitInstanceCompletedAsync(jobId, TimeSpan.FromSeconds(60));
        var events = await _client.ReadEventsAsync(jobId);

        // Assert: the request was answered at once and recorded; the job ended cancelled exactly once, not run to its end.
        output.WriteLine($"cancelled with no live host; terminal {endedAfter.TotalSeconds:F1} s later, instance Completed {completedAfter.TotalSeconds:F1} s after that wait began");
        Assert.IsType<CancelOutcome.Cancelled>(cancel);
        Assert.True(afterCancel.CancelRequested);
        Assert.Equal(JobStatus.Cancelled, state.Status);
        Assert.Equal("stop it", state.CancelReason);
        var terminal = Assert.Single(events, e => e.IsTerminal);
        Assert.Same(events[^1], terminal);
        Assert.Contains("\"CANCELLED\"", terminal.PayloadJson, StringComparison.Ordinal);
        Assert.True(events.Count < 400, $"the job ran on to {events.Count} events after its cancel");
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Index));
    }

    [Fact]
    public async Task TwoHosts_200EchoJobs_EachEndsOnceAndBothHostsRunJobs()
    {
        // Arrange
        const int jobCount = 200;
        var hostA = await StartHostAsync();
        var hostB = await StartHostAsync();
        var session = await _client.OpenSessionAsync();
        await WarmUpAsync(session);

        // Act
        var clock = Stopwatch.StartNew();
        var jobIds = new List<string>();
        foreach (var batch in Enumerable.Range(0, jobCount).Chunk(16))
        {
            var submitted = await Task.WhenAll(batch.Select(i => _client.SubmitAsync(session, "echo", $$"""{"n":{{i}}}""")));
            jobIds.AddRange(submitted.Select(a => a.Payload.JobId));
        }

        var submitTime = clock.Elapsed;
        var states = new List<JobState>();
        foreach (var jobId in jobIds)
        {
            states.Add(await _client.WaitTerminalAsync(jobId, TimeSpan.FromSeconds(180)));
        }

        var allDone = clock.Elapsed;
        var eventLists = await Task.WhenAll(jobIds.Select(_client.ReadEventsAsync));

        // Assert
        var ranOnA = jobIds.Count(id => hostA.Output.Contains($"Job {id} finished", StringComparison.Ordinal));
        var ranOnB = jobIds.Count(id => hostB.Output.Contains($"Job {id} finished", StringComparison.Ordinal));
        output.WriteLine($"{jobCount} jobs: submitted in {submitTime.TotalSeconds:F1} s, all terminal after {allDone.TotalSeconds:F1} s ({jobCount / allDone.TotalSeconds:F1} jobs/s); host A ran {ranOnA}, host B ran {ranOnB}");
        Assert.All(states, s => Assert.Equal(JobStatus.Success, s.Status));
        Assert.All(eventLists, events => Assert.Equal(JobEventTypes.Result, Assert.Single(events).Type));
        Assert.All(jobIds, id => Assert.True(
            hostA.Output.Contains($"Job {id} finished", StringComparison.Ordinal) ^ hostB.Output.Contains($"Job {id} finished", StringComparison.Ordinal),
            $"job {id} was not finished by exactly one host"));
        Assert.Equal(jobCount, ranOnA + ranOnB);
        Assert.True(ranOnA > 0 && ranOnB > 0, $"work did not spread: A {ranOnA}, B {ranOnB}");
    }

    [Fact]
    public async Task FlakyAgentCrashesItsHost_JobRedeliveredToAnotherHostAndSucceedsOnAttemptTwo()
    {
        // Arrange: two hosts that run the process-killing test agent.
        var first = await StartHostAsync(flaky: true);
        var second = await StartHostAsync(flaky: true);
        var session = await _client.OpenSessionAsync();

        // Act
        var accepted = await _client.SubmitAsync(session, "flaky", "null");
        var state = await _client.WaitTerminalAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(120));
        var events = await _client.ReadEventsAsync(accepted.Payload.JobId);

        // Assert: exactly one host died, the job ended once, on its second attempt, never stuck.
        Assert.True(first.HasExited ^ second.HasExited, "exactly one host should have been killed by the agent");
        Assert.Equal(JobStatus.Success, state.Status);
        Assert.Equal(2, state.Attempt);
        Assert.Single(events, e => e.IsTerminal);
        Assert.Contains("\"attempt\":2", events[^1].PayloadJson, StringComparison.Ordinal);
    }

    private async Task<HostProcess> StartHostAsync(bool flaky = false)
    {
        var settings = DurableRuntime.Settings(azurite.ConnectionString, _taskHub, _tablePrefix);
        if (flaky)
        {
            settings["Arcp:Agents:EnableFlaky"] = "true";
        }

        settings["Arcp:Jobs:StatePollInterval"] = "00:00:00.200";
        var host = HostProcess.Start(_workDir.FullName, DurableRuntime.Environment(settings));
        _hosts.Add(host);
        using var healthy = await host.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    private async Task WarmUpAsync(string session)
    {
        var warm = await _client.SubmitAsync(session, "echo", "0");
        await _client.WaitTerminalAsync(warm.Payload.JobId, TimeSpan.FromSeconds(120));
    }

    private async Task WaitForEventCountAsync(string jobId, long count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while ((await _client.JobStore.GetAsync(jobId, default))!.EventCount < count)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Job {jobId} has fewer than {count} events after {timeout}; host output:{System.Environment.NewLine}{string.Join(System.Environment.NewLine, _hosts.Select(h => h.Output))}");
            }

            await Task.Delay(50);
        }
    }

    private static int ProgressCurrent(StoredJobEvent e)
    {
        using var document = JsonDocument.Parse(e.PayloadJson);
        Assert.Equal("progress", document.RootElement.GetProperty("kind").GetString());
        return document.RootElement.GetProperty("body").GetProperty("current").GetInt32();
    }
}

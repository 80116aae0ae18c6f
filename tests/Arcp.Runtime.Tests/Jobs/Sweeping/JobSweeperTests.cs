using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Sweeping;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Runtime.Tests.Jobs.Sweeping;

public sealed class JobSweeperTests : IAsyncLifetime
{
    private readonly RuntimeHarness _runtime = new(s => s.Configure<JobSweeperOptions>(o => o.StartMissingAfter = TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Sweep_AcceptedJobNeverStarted_StartsItAndItCompletes()
    {
        // Arrange: accepted, but the process died before the start.
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "echo", """{"x":1}""", start: false);

        // Act
        var result = await _runtime.Get<JobSweeper>().SweepAsync(_runtime.Scheduler, default);
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        // Assert
        Assert.Equal(1, result.Started);
        Assert.Equal(JobStatus.Success, (await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default))!.Status);
        Assert.Equal("job.result", Assert.Single(await _runtime.ReadEnvelopesAsync(session)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Sweep_RunningJobWithUnsyncedEvents_SyncsOutboxAndStartsNothingYoung()
    {
        // Arrange: a job whose event reached its partition but never the submitter's outbox (the fan-out died with
        // its process); it is younger than StartMissingAfter, so the sweeper must not start it.
        await using var runtime = new RuntimeHarness(s => s.Configure<JobSweeperOptions>(o => o.StartMissingAfter = TimeSpan.FromHours(1)));
        var session = await runtime.OpenSessionAsync();
        var accepted = await runtime.SubmitAsync(session, "echo", "1", start: false);
        var jobId = accepted.Payload.JobId;
        var claimed = Assert.IsType<ClaimResult.Claimed>(await runtime.JobStore.TryClaimAsync(jobId, "elsewhere", TimeSpan.FromMinutes(5), default));
        await runtime.JobStore.AppendEventsAsync(claimed.State, [new NewJobEvent("job.event", """{"kind":"log","ts":"2026-05-13T10:00:00.000Z","body":{"level":"info","message":"hi"}}""", DateTimeOffset.UtcNow, "msg_x")], null, default);

        // Act
        var result = await runtime.Get<JobSweeper>().SweepAsync(runtime.Scheduler, default);

        // Assert
        Assert.Equal(new JobSweepResult(Examined: 1, Started: 0, Synced: 1, Failed: 0), result);
        Assert.Equal(JobInstanceStatus.Missing, await runtime.Scheduler.GetInstanceStatusAsync(jobId, default));
        Assert.Equal("job.event", Assert.Single(await runtime.ReadEnvelopesAsync(session)).GetProperty("type").GetString());
    }
}

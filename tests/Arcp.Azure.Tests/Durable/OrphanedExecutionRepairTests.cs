using Arcp.Azure.Durable;
using Arcp.Azure.Jobs;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Sweeping;
using DurableTask.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Azure.Tests.Durable;

/// <summary>
/// An orchestration that ended without the job's terminal (FinishJob outlasted by an outage, an operator's terminate)
/// is reported as such by the scheduler, and the sweeper ends the job: one terminal, however many nodes sweep.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OrphanedExecutionRepairTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private DurableRuntime _runtime = null!;
    private TerminalOutageJobStore _store = null!;

    public async Task InitializeAsync() => _runtime = await DurableRuntime.StartAsync(
        azurite.ConnectionString,
        configure: settings =>
        {
            settings["Arcp:Durable:FinishMaxAttempts"] = "2";
            settings["Arcp:Durable:FinishFirstRetryInterval"] = "00:00:01";
            settings["Arcp:Sweeper:StartMissingAfter"] = "00:00:00";
        },
        services: services => services.AddSingleton<IJobStore>(sp => _store = new TerminalOutageJobStore(ActivatorUtilities.CreateInstance<TableJobStore>(sp))));

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task FinishJobOutlastedByOutage_InstanceReportedFailed_SweeperEndsJobOnce()
    {
        // Arrange: the runtime cap passes while every terminal write fails.
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":1000,"interval_ms":50}""", s => s with { MaxRuntimeSec = 2 });
        var jobId = accepted.Payload.JobId;
        _store.Outage = true;

        // Act: wait for the orchestration to give up, let storage recover, sweep twice.
        var status = await WaitStatusAsync(jobId, s => s is JobInstanceStatus.Failed or JobInstanceStatus.Completed, TimeSpan.FromSeconds(90));
        var before = await _runtime.JobStore.GetAsync(jobId, default);
        _store.Outage = false;
        var sweeper = _runtime.Get<JobSweeper>();
        var first = await sweeper.SweepAsync(_runtime.Scheduler, default);
        var second = await sweeper.SweepAsync(_runtime.Scheduler, default);

        // Assert
        Assert.Equal(JobInstanceStatus.Failed, status);
        Assert.False(before!.Status.IsTerminal());
        Assert.Equal(1, first.Ended);
        Assert.Equal(0, second.Ended);
        var state = await _runtime.WaitTerminalAsync(jobId, TimeSpan.FromSeconds(10));
        Assert.Equal(JobStatus.TimedOut, state.Status);
        var events = await _runtime.ReadEventsAsync(jobId);
        Assert.Single(events, e => e.IsTerminal);
        Assert.Equal("job.error", events[^1].Type);
    }

    [Fact]
    public async Task InstanceTerminated_ReportedTerminated_SweeperEndsRunningJobOnce()
    {
        // Arrange: a long job, running.
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":1000,"interval_ms":50}""");
        var jobId = accepted.Payload.JobId;
        await WaitStatusAsync(jobId, s => s == JobInstanceStatus.Running, TimeSpan.FromSeconds(30));
        await Eventually.WaitUntilAsync(async () => (await _runtime.JobStore.GetAsync(jobId, default))!.EventCount > 0, TimeSpan.FromSeconds(30));

        // Act: an operator terminates the instance (the activity keeps running: terminate never stops one).
        await _runtime.Get<DurableTaskHub>().Client.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = jobId }, "operator");
        var status = await WaitStatusAsync(jobId, s => s != JobInstanceStatus.Running, TimeSpan.FromSeconds(30));
        var result = await _runtime.Get<JobSweeper>().SweepAsync(_runtime.Scheduler, default);

        // Assert: ended once; the runner stopped at the seal and wrote nothing after it.
        Assert.Equal(JobInstanceStatus.Terminated, status);
        Assert.Equal(1, result.Ended);
        var state = await _runtime.WaitTerminalAsync(jobId, TimeSpan.FromSeconds(10));
        Assert.Equal(JobStatus.Error, state.Status);
        await Task.Delay(500);
        var events = await _runtime.ReadEventsAsync(jobId);
        Assert.Single(events, e => e.IsTerminal);
        Assert.Equal("job.error", events[^1].Type);
    }

    private async Task<JobInstanceStatus> WaitStatusAsync(string jobId, Func<JobInstanceStatus, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await _runtime.Scheduler.GetInstanceStatusAsync(jobId, default);
            if (done(status) || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(200);
        }
    }
}

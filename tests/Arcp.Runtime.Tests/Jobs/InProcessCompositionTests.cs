using System.Text.Json;
using Arcp.Agents;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Arcp.Runtime.Tests.Jobs;

/// <summary>
/// The in-process composition has no dependency cycle: the scheduler only queues, the worker runs, and the runner
/// reaches job submission through <see cref="IChildJobSubmitter"/>, all resolved by the container.
/// </summary>
public sealed class InProcessCompositionTests
{
    private static ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddArcpRuntime(o => o.StatePollInterval = TimeSpan.FromMilliseconds(50));
        services.AddArcpInMemoryStorage();
        services.AddArcpInProcessScheduler();
        services.AddArcpBuiltInAgents();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public async Task Container_ValidatesOnBuild_WorkerIsTheHostedService_ChildSubmitterIsTheJobService()
    {
        await using var services = Build();

        var worker = services.GetRequiredService<InProcessJobWorker>();
        Assert.Same(worker, Assert.Single(services.GetServices<IHostedService>()));
        Assert.Same(services.GetRequiredService<JobService>(), services.GetRequiredService<IChildJobSubmitter>());
        Assert.Same(services.GetRequiredService<InProcessJobScheduler>(), services.GetRequiredService<IJobScheduler>());
    }

    [Fact]
    public async Task JobStartedBeforeTheWorker_IsQueued_ThenRunsOnceWhenTheWorkerStarts()
    {
        await using var services = Build();
        var sessions = services.GetRequiredService<ISessionStore>();
        await sessions.CreateAsync(new SessionState { SessionId = "sess_queued", Principal = "alice", CreatedAt = DateTimeOffset.UtcNow, Features = ["progress"] }, default);
        var jobs = services.GetRequiredService<JobService>();
        var outcome = await jobs.SubmitAsync(new SubmitRequest("alice", "sess_queued", ["progress"], new JobSubmit("echo", JsonDocument.Parse("{\"a\":1}").RootElement.Clone()), "msg_req", null), default);
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(outcome);
        var scheduler = services.GetRequiredService<InProcessJobScheduler>();

        await jobs.StartAsync(accepted.Start, default);
        await jobs.StartAsync(accepted.Start, default);
        Assert.Equal(JobInstanceStatus.Running, await scheduler.GetInstanceStatusAsync(accepted.Payload.JobId, default));
        Assert.Equal(JobStatus.Pending, (await services.GetRequiredService<IJobStore>().GetAsync(accepted.Payload.JobId, default))!.Status);

        var worker = services.GetRequiredService<InProcessJobWorker>();
        await worker.StartAsync(default);
        await scheduler.WhenRunEndsAsync(accepted.Payload.JobId).WaitAsync(TimeSpan.FromSeconds(30));

        var state = await services.GetRequiredService<IJobStore>().GetAsync(accepted.Payload.JobId, default);
        Assert.Equal(JobStatus.Success, state!.Status);
        Assert.Equal(1, state.Attempt);
        Assert.Equal(JobInstanceStatus.Completed, await scheduler.GetInstanceStatusAsync(accepted.Payload.JobId, default));
        await worker.StopAsync(default);
    }
}

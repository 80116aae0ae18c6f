using Arcp.Functions.Jobs;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Arcp.Functions.Tests.Durable;

/// <summary>
/// The job orchestration replays with the timing it started with: configuration changed while an instance is in
/// flight (a redeploy with new settings) does not change that instance's decisions. The activities are stand-ins
/// that record what the orchestration asked for; the orchestration and the engine are real.
/// </summary>
public sealed class OrchestrationSettingsReplayTests
{
    [Fact]
    public async Task Replay_OptionsChangedAfterStart_GracePeriodStaysAsStarted()
    {
        // Arrange: an agent that never stops on its own, and configuration giving it one second of grace.
        var configured = new JobOrchestrationOptions { CancelGracePeriod = TimeSpan.FromSeconds(1) };
        var options = Options.Create(configured);
        var runStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var agentStopped = new TaskCompletionSource<JobRunOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finishReasons = new List<JobFinishReason>();
        var services = new ServiceCollection().AddSingleton(options).BuildServiceProvider();
        await using var engine = await DurableTaskTestHost.StartAsync(registry =>
        {
            // A new orchestrator per episode, as the worker creates one per replay from the container.
            registry.AddOrchestratorFunc<JobStartRequest, JobOrchestrationResult>(
                ArcpTaskRegistry.JobOrchestration,
                (context, input) => ActivatorUtilities.CreateInstance<JobOrchestrator>(services).RunAsync(context, input));
            registry.AddActivityFunc<string, JobRunOutcome>(ArcpTaskRegistry.RunAgent, (_, _) =>
            {
                runStarted.TrySetResult();
                return agentStopped.Task;
            });
            registry.AddActivityFunc<FinishJobRequest, JobFinishOutcome>(ArcpTaskRegistry.FinishJob, (_, request) =>
            {
                lock (finishReasons)
                {
                    finishReasons.Add(request.Reason);
                }

                agentStopped.TrySetResult(JobRunOutcome.Finished);
                return JobFinishOutcome.Finished;
            });
            registry.AddActivityFunc<string, int>(ArcpTaskRegistry.RevokeCredentials, (_, _) => 0);
        }, new DurableTaskTestHostOptions { Port = FreePorts.Next() });
        var jobId = "job_" + Guid.NewGuid().ToString("N");
        await new DurableTaskClientJobScheduler(engine.Client, options).StartAsync(new JobStartRequest(jobId, null, null), default);
        await runStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Act: the configuration changes (as after a redeploy), then the cancel makes the instance replay.
        configured.CancelGracePeriod = TimeSpan.FromHours(1);
        await engine.Client.RaiseEventAsync(jobId, ArcpTaskRegistry.CancelEvent);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var instance = await engine.Client.WaitForInstanceCompletionAsync(jobId, getInputsAndOutputs: true, wait.Token);

        // Assert: the one-second grace it started with ran out and FinishJob ended the job.
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal([JobFinishReason.Cancelled], finishReasons);
        Assert.Equal(TimeSpan.FromSeconds(1), instance.ReadInputAs<JobStartRequest>()!.Settings!.CancelGracePeriod);
    }

    [Fact]
    public async Task Start_InputWithoutSettings_RunsWithDefaults()
    {
        // Arrange: an instance started before inputs carried settings.
        var finished = new TaskCompletionSource<JobFinishReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        var agentStopped = new TaskCompletionSource<JobRunOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var engine = await DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<JobStartRequest, JobOrchestrationResult>(
                ArcpTaskRegistry.JobOrchestration,
                (context, input) => new JobOrchestrator().RunAsync(context, input));
            registry.AddActivityFunc<string, JobRunOutcome>(ArcpTaskRegistry.RunAgent, (_, _) => agentStopped.Task);
            registry.AddActivityFunc<FinishJobRequest, JobFinishOutcome>(ArcpTaskRegistry.FinishJob, (_, request) =>
            {
                finished.TrySetResult(request.Reason);
                agentStopped.TrySetResult(JobRunOutcome.Finished);
                return JobFinishOutcome.Finished;
            });
            registry.AddActivityFunc<string, int>(ArcpTaskRegistry.RevokeCredentials, (_, _) => 0);
        }, new DurableTaskTestHostOptions { Port = FreePorts.Next() });
        var jobId = "job_" + Guid.NewGuid().ToString("N");
        await engine.Client.ScheduleNewOrchestrationInstanceAsync(ArcpTaskRegistry.JobOrchestration, new { JobId = jobId, MaxRuntimeSec = 1 }, new Microsoft.DurableTask.StartOrchestrationOptions(jobId));

        // Act
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var instance = await engine.Client.WaitForInstanceCompletionAsync(jobId, getInputsAndOutputs: true, wait.Token);

        // Assert: it ran (the deadline ended it) and reports its ending.
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(JobFinishReason.TimedOut, await finished.Task);
    }
}

using Arcp.Runtime.Jobs.Sweeping;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Arcp.Functions.Jobs;

/// <summary>The sweeper on a timer (every 30 s): the shared <see cref="JobSweeper"/> with this invocation's Durable client.</summary>
public sealed class JobSweeperFunction(JobSweeper sweeper)
{
    /// <summary>Every 30 seconds, like the local host's default <c>Arcp:Sweeper:Interval</c>.</summary>
    public const string Schedule = "*/30 * * * * *";

    [Function("JobSweeper")]
    public Task<JobSweepResult> RunAsync(
        [TimerTrigger(Schedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        sweeper.SweepAsync(new DurableTaskClientJobScheduler(client), cancellationToken);
}

using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Sweeping;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Arcp.Functions.Jobs;

/// <summary>The sweeper on a timer (every 30 s): the shared <see cref="JobSweeper"/> with this invocation's Durable client.</summary>
public sealed class JobSweeperFunction(JobSweeper sweeper, IJobScheduler scheduler)
{
    /// <summary>Every 30 seconds, like the local host's default <c>Arcp:Sweeper:Interval</c>.</summary>
    public const string Schedule = "*/30 * * * * *";

    [Function("JobSweeper")]
    public async Task<JobSweepResult> RunAsync(
        [TimerTrigger(Schedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        using (AmbientJobScheduler.Bind(client))
        {
            return await sweeper.SweepAsync(scheduler, cancellationToken).ConfigureAwait(false);
        }
    }
}

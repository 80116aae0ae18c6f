using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Arcp.Functions.Jobs;

/// <summary>
/// <c>FinishJob</c> as an activity function over the shared <see cref="FinishJobActivity"/>. Like every function that
/// reaches the runtime's job services, it binds a Durable client for the scheduler.
/// </summary>
public sealed class FinishJobFunction(FinishJobActivity activity)
{
    [Function(ArcpTaskRegistry.FinishJob)]
    public async Task<JobFinishOutcome> RunAsync([ActivityTrigger] FinishJobRequest request, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        using (AmbientJobScheduler.Bind(client))
        {
            return await activity.FinishAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}

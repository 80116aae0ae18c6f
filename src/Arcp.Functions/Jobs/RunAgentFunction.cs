using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Arcp.Functions.Jobs;

/// <summary>
/// <c>RunAgent</c> as an activity function over the shared <see cref="RunAgentActivity"/>. It binds a Durable client:
/// an agent that delegates starts its children's orchestrations from inside this activity.
/// </summary>
public sealed class RunAgentFunction(RunAgentActivity activity)
{
    [Function(ArcpTaskRegistry.RunAgent)]
    public async Task<JobRunOutcome> RunAsync([ActivityTrigger] string jobId, [DurableClient] DurableTaskClient client)
    {
        using (AmbientJobScheduler.Bind(client))
        {
            return await activity.RunJobAsync(jobId).ConfigureAwait(false);
        }
    }
}

using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.Azure.Functions.Worker;

namespace Arcp.Functions.Jobs;

/// <summary><c>RunAgent</c> as an activity function over the shared <see cref="RunAgentActivity"/>.</summary>
public sealed class RunAgentFunction(RunAgentActivity activity)
{
    [Function(ArcpTaskRegistry.RunAgent)]
    public Task<JobRunOutcome> RunAsync([ActivityTrigger] string jobId) => activity.RunJobAsync(jobId);
}

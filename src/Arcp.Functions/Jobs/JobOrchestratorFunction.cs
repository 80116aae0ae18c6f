using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Arcp.Functions.Jobs;

/// <summary>The job orchestration as a Durable Functions orchestrator: the shared <see cref="JobOrchestrator"/>, nothing else.</summary>
public sealed class JobOrchestratorFunction(JobOrchestrator orchestrator)
{
    [Function(ArcpTaskRegistry.JobOrchestration)]
    public Task<JobOrchestrationResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<JobStartRequest>() ?? throw new InvalidOperationException("The job orchestration needs a JobStartRequest input.");
        return orchestrator.RunAsync(context, input);
    }
}

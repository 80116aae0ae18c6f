using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.Azure.Functions.Worker;

namespace Arcp.Functions.Jobs;

/// <summary><c>FinishJob</c> as an activity function over the shared <see cref="FinishJobActivity"/>.</summary>
public sealed class FinishJobFunction(FinishJobActivity activity)
{
    [Function(ArcpTaskRegistry.FinishJob)]
    public Task<JobFinishOutcome> RunAsync([ActivityTrigger] FinishJobRequest request, CancellationToken cancellationToken) =>
        activity.FinishAsync(request, cancellationToken);
}

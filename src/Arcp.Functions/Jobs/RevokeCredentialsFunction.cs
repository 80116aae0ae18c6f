using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.Azure.Functions.Worker;

namespace Arcp.Functions.Jobs;

/// <summary><c>RevokeCredentials</c> as an activity function over the shared <see cref="RevokeCredentialsActivity"/>.</summary>
public sealed class RevokeCredentialsFunction(RevokeCredentialsActivity activity)
{
    [Function(ArcpTaskRegistry.RevokeCredentials)]
    public Task<int> RunAsync([ActivityTrigger] string jobId, CancellationToken cancellationToken) =>
        activity.RevokeAsync(jobId, cancellationToken);
}

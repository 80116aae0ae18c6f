using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Arcp.Functions.Jobs;

/// <summary>
/// <c>RevokeCredentials</c> as an activity function over the shared <see cref="RevokeCredentialsActivity"/>. It binds a
/// Durable client: revocation first cancels the children that still hold credentials.
/// </summary>
public sealed class RevokeCredentialsFunction(RevokeCredentialsActivity activity)
{
    [Function(ArcpTaskRegistry.RevokeCredentials)]
    public async Task<int> RunAsync([ActivityTrigger] string jobId, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        using (AmbientJobScheduler.Bind(client))
        {
            return await activity.RevokeAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
    }
}

using Arcp.Runtime.Credentials;
using Microsoft.DurableTask;

namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>
/// <c>RevokeCredentials</c>, the last step of every job however it ended: first cancels the children it delegated that
/// still hold credentials (each revokes its own as it ends, so no child credential outlives the parent, §9.8.2), then
/// revokes every credential of the job the ledger still lists as outstanding, marking each revoked or recording the
/// failure. Any failure fails the activity so the orchestration's durable retry policy runs it again (already revoked
/// entries are skipped). Without a provisioner no credentials were issued: only the children are handled.
/// </summary>
public sealed class RevokeCredentialsActivity(CredentialService credentials, JobService jobService) : TaskActivity<string, int>
{
    /// <inheritdoc />
    public override Task<int> RunAsync(TaskActivityContext context, string input) => RevokeAsync(input, CancellationToken.None);

    /// <summary>Revokes what is outstanding; throws when something is left, so the durable retry policy runs again.</summary>
    public async Task<int> RevokeAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        await jobService.CancelChildrenHoldingCredentialsAsync(jobId, cancellationToken).ConfigureAwait(false);
        var (revoked, complete) = await credentials.RevokeOutstandingAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (!complete)
        {
            throw new InvalidOperationException($"Some credentials of job {jobId} could not be revoked yet.");
        }

        return revoked;
    }
}

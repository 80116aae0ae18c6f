using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Arcp.Runtime.Jobs;

public sealed partial class JobService
{
    private static readonly ProtocolError s_notIssued = new(ErrorCode.InternalError, "The job's credentials could not be issued; it was not run.");

    /// <summary>
    /// Ends a recorded job whose credentials were never issued, so nothing ever runs it without them: the job gets a
    /// terminal <c>job.error</c> its submitter can look up (it is not pushed: the client never saw the job accepted), whatever partial credentials exist are revoked, and the
    /// idempotency key is freed so a retry with it submits anew. The terminal write is conditional, so this runs
    /// safely from the failed submission, a replay and the sweeper alike.
    /// </summary>
    /// <returns>True when this call wrote the terminal.</returns>
    public async Task<bool> EndUnissuedAsync(JobDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);

        // The client never saw this job accepted: its terminal is for asking (list, subscribe), not pushed unannounced.
        await sessions.UnsubscribeAsync(definition.SubmitterSessionId, definition.JobId, cancellationToken).ConfigureAwait(false);
        var outcome = await jobs.TryFinishAsync(definition.JobId, terminals.Failure(definition.JobId, s_notIssued), [], null, cancellationToken).ConfigureAwait(false);
        await credentials.RevokeOutstandingAsync(definition.JobId, cancellationToken).ConfigureAwait(false);
        return outcome is FinishResult.Finished;
    }

    /// <summary>True when the job needs provisioned credentials that were never issued (see <see cref="EndUnissuedAsync"/>).</summary>
    public Task<bool> IsUnissuedAsync(JobDefinition definition, CancellationToken cancellationToken) => credentials.IssueMissingAsync(definition, cancellationToken);

    /// <summary>The submission is answered with a retryable error; the job it recorded is ended, its key released.</summary>
    private async Task<SubmitOutcome> AbandonUnissuedAsync(JobDefinition definition, string? idempotencyKey, SubmitRequest request)
    {
        // Not the request's token: the client may be gone, and the orphan must end regardless.
        try
        {
            await EndUnissuedAsync(definition, CancellationToken.None).ConfigureAwait(false);
            if (idempotencyKey is not null)
            {
                await idempotency.ReleaseAsync(definition.Principal, idempotencyKey, definition.JobId, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogAbandonFailed(logger, ex, definition.JobId);
        }

        return Reject(s_notIssued, request);
    }
}

using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary><c>job.unsubscribe</c>: ends an observer subscription; the submitter's own one stays, and no reply is sent.</summary>
internal sealed class JobUnsubscribeHandler(ISessionStore sessions) : MessageHandler<JobUnsubscribe>
{
    protected override async Task HandleAsync(SessionConnection connection, ArcpMessage message, JobUnsubscribe payload, CancellationToken cancellationToken)
    {
        var existing = await sessions.GetSubscriptionAsync(connection.SessionId, payload.JobId, cancellationToken).ConfigureAwait(false);
        if (existing is { IsSubmitter: false })
        {
            await sessions.UnsubscribeAsync(connection.SessionId, payload.JobId, cancellationToken).ConfigureAwait(false);
            connection.FinishedJobs.Add(payload.JobId);
        }
    }
}

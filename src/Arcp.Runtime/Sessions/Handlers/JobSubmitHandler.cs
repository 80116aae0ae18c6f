using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>
/// <c>job.submit</c>: submissions of one connection are handled one at a time, so acceptances go out in arrival
/// order (the C# client matches them FIFO); the envelope carries the job trace id (TS) and the payload
/// <c>reply_to</c> (Ruby). The job starts only after <c>job.accepted</c> was sent.
/// </summary>
internal sealed class JobSubmitHandler(JobService jobService, SessionSender sender, SignalHub signals) : MessageHandler<JobSubmit>
{
    protected override async Task HandleAsync(SessionConnection connection, ArcpMessage message, JobSubmit payload, CancellationToken cancellationToken)
    {
        var outcome = await jobService.SubmitAsync(
            new SubmitRequest(connection.Principal!, connection.SessionId, connection.Features, payload, message.Id, message.TraceId),
            cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case SubmitOutcome.Rejected rejected:
                await sender.SendErrorAsync(connection, rejected.Error, cancellationToken).ConfigureAwait(false);
                break;
            case SubmitOutcome.Accepted accepted:
                await sender.SendAsync(connection, accepted.Payload, accepted.Payload.JobId, accepted.Payload.TraceId, cancellationToken).ConfigureAwait(false);
                await jobService.StartAsync(accepted.Start, cancellationToken).ConfigureAwait(false);
                signals.Pulse(SignalHub.SessionSubscriptions(connection.SessionId));
                break;
        }
    }
}

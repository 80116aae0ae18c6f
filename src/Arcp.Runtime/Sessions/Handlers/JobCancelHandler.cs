using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>
/// <c>job.cancel</c> (§7.4, as the public ARCP SDKs expect): <c>job.cancelled</c> is sent while event delivery is held, so it always
/// precedes the terminal <c>job.error</c>. A cancel of a terminal job is answered with silence and changes nothing.
/// </summary>
internal sealed class JobCancelHandler(JobService jobService, SessionSender sender) : MessageHandler<JobCancel>
{
    protected override async Task HandleAsync(SessionConnection connection, ArcpMessage message, JobCancel payload, CancellationToken cancellationToken)
    {
        var jobId = payload.JobId ?? message.JobId;
        if (string.IsNullOrEmpty(jobId))
        {
            await sender.SendErrorAsync(connection, ProtocolError.InvalidRequest("job.cancel needs a job_id (payload or envelope).", "payload.job_id") with { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        await connection.SendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            switch (await jobService.CancelAsync(connection.Principal!, connection.SessionId, jobId, payload.Reason, cancellationToken).ConfigureAwait(false))
            {
                case CancelOutcome.Cancelled cancelled:
                    await sender.SendAsync(connection, new JobCancelled(cancelled.JobId, cancelled.Reason), cancelled.JobId, cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                case CancelOutcome.Rejected rejected:
                    await sender.SendErrorAsync(connection, rejected.Error with { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        finally
        {
            connection.SendGate.Release();
        }
    }
}

using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Sessions;

public sealed partial class SessionService
{
    /// <summary>
    /// <c>job.submit</c>: submissions of one connection are handled one at a time, so acceptances go out in arrival
    /// order (the C# client matches them FIFO); the envelope carries the job trace id (TS) and the payload
    /// <c>reply_to</c> (Ruby). The job starts only after <c>job.accepted</c> was sent.
    /// </summary>
    private async Task SubmitAsync(SessionConnection connection, ArcpMessage message, JobSubmit submit, CancellationToken cancellationToken)
    {
        var outcome = await jobService.SubmitAsync(
            new SubmitRequest(connection.Principal!, connection.SessionId, connection.Features, submit, message.Id, message.TraceId),
            cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case SubmitOutcome.Rejected rejected:
                await SendErrorAsync(connection, rejected.Error, cancellationToken).ConfigureAwait(false);
                break;
            case SubmitOutcome.Accepted accepted:
                await SendAsync(connection, accepted.Payload, accepted.Payload.JobId, accepted.Payload.TraceId, cancellationToken).ConfigureAwait(false);
                await jobService.StartAsync(accepted.Start, cancellationToken).ConfigureAwait(false);
                signals.Pulse(SignalHub.SessionSubscriptions(connection.SessionId));
                break;
        }
    }

    /// <summary>
    /// <c>job.cancel</c> (§7.4, as the public ARCP SDKs expect): <c>job.cancelled</c> is sent while event delivery is held, so it always
    /// precedes the terminal <c>job.error</c>. A cancel of a terminal job is answered with silence and changes nothing.
    /// </summary>
    private async Task CancelAsync(SessionConnection connection, ArcpMessage message, JobCancel cancel, CancellationToken cancellationToken)
    {
        var jobId = cancel.JobId ?? message.JobId;
        if (string.IsNullOrEmpty(jobId))
        {
            await SendErrorAsync(connection, ProtocolError.InvalidRequest("job.cancel needs a job_id (payload or envelope).", "payload.job_id") with { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        await connection.SendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            switch (await jobService.CancelAsync(connection.Principal!, connection.SessionId, jobId, cancel.Reason, cancellationToken).ConfigureAwait(false))
            {
                case CancelOutcome.Cancelled cancelled:
                    await SendAsync(connection, new JobCancelled(cancelled.JobId, cancelled.Reason), cancelled.JobId, cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                case CancelOutcome.Rejected rejected:
                    await SendErrorAsync(connection, rejected.Error with { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        finally
        {
            connection.SendGate.Release();
        }
    }

    /// <summary>
    /// <c>session.ack</c> (§6.5): advisory. Records the highest acknowledged seq (never lowers it), frees acknowledged
    /// outbox rows, and re-arms the back-pressure signal once the lag halved. Ignored unless <c>ack</c> was negotiated.
    /// </summary>
    private async Task AckAsync(SessionConnection connection, SessionAck ack, CancellationToken cancellationToken)
    {
        if (!connection.Has("ack"))
        {
            return;
        }

        var acked = Math.Min(ack.LastProcessedSeq, connection.DeliveredSeq);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var session = await sessions.GetAsync(connection.SessionId, cancellationToken).ConfigureAwait(false);
            if (session is null || session.LastAckedSeq >= acked)
            {
                break;
            }

            if (await sessions.TryUpdateAsync(session, session with { LastAckedSeq = acked }, cancellationToken).ConfigureAwait(false) is { } updated)
            {
                if (updated.LastAckedSeq - updated.OutboxFloor >= 64)
                {
                    await sessions.SweepAcknowledgedAsync(connection.SessionId, cancellationToken).ConfigureAwait(false);
                }

                break;
            }
        }

        connection.AckedSeq = Math.Max(connection.AckedSeq, acked);
        await CheckBackPressureAsync(connection, cancellationToken).ConfigureAwait(false);
    }
}

using Arcp.Client.Connection;
using Arcp.Client.Errors;
using Arcp.Client.Jobs;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Protocol.Messages;

namespace Arcp.Client;

public sealed partial class ArcpClient
{
    /// <summary>Handles one inbound envelope; false when an event gap means the connection must be resumed.</summary>
    private async Task<bool> DispatchAsync(WebSocketConnection connection, ArcpMessage message)
    {
        switch (message.Payload)
        {
            case SessionPing ping:
                await TrySendAsync(connection, Frame(new SessionPong(ping.Nonce, _time.GetUtcNow()))).ConfigureAwait(false);
                return true;
            case JobEvent or JobResult or JobError:
                return Deliver(message);
            case JobAccepted accepted:
                Resolve(message, accepted.ReplyTo, p => p.Kind == PendingKind.Submit);
                return true;
            case SessionJobs jobs:
                Resolve(message, jobs.RequestId, _ => false);
                return true;
            case JobSubscribed subscribed:
                Resolve(message, subscribed.ReplyTo, p => p.Kind == PendingKind.Subscribe && p.JobId == subscribed.JobId);
                return true;
            case JobCancelled cancelled:
                Resolve(message, null, p => p.Kind == PendingKind.Cancel && p.JobId == (message.JobId ?? cancelled.JobId));
                return true;
            case SessionError error:
                OnSessionError(error);
                return true;
            default:
                // session.pong, session.closed, vendor messages: nothing to do.
                return true;
        }
    }

    /// <summary>Event-bearing envelopes: exactly once (by <c>event_seq</c>), in order, or resume to fill a gap.</summary>
    private bool Deliver(ArcpMessage message)
    {
        if (message.EventSeq is { } seq)
        {
            var last = LastEventSeq;
            if (seq <= last)
            {
                Log.DuplicateDropped(_logger, _session!.SessionId, seq);
                return true;
            }

            if (seq > last + 1)
            {
                Log.GapDetected(_logger, _session!.SessionId, seq, last);
                return false;
            }

            Interlocked.Exchange(ref _lastSeq, seq);
        }

        var jobId = message.JobId ?? message.Payload switch
        {
            JobResult result => result.JobId,
            JobError error => error.JobId,
            _ => null,
        };
        if (jobId is null)
        {
            // A session-level status (e.g. back-pressure without a job): nothing to route it to.
            return true;
        }

        var stream = _jobs.GetOrAdd(jobId, static id => new JobStream(id));
        switch (message.Payload)
        {
            case JobEvent jobEvent:
                EventBodies.TryRead(jobEvent, out var body, out var bodyError);
                if (bodyError is not null)
                {
                    Log.BodyUnreadable(_logger, jobId, message.EventSeq ?? 0, jobEvent.Kind);
                }

                stream.OnEvent(new JobEventReceived(jobId, message.EventSeq ?? 0, jobEvent.Kind, jobEvent.Ts, jobEvent.Body, body, bodyError));
                break;
            case JobResult result:
                stream.OnResult(result);
                Forget(stream);
                break;
            case JobError error:
                stream.OnError(error);
                Forget(stream);
                break;
        }

        return true;
    }

    private void Forget(JobStream stream)
    {
        // A claimed stream lives on in its handle; an unclaimed one waits for the submit reply that claims it.
        if (stream.IsClaimed)
        {
            _jobs.TryRemove(new KeyValuePair<string, JobStream>(stream.JobId, stream));
        }
    }

    private void OnSessionError(SessionError error)
    {
        if (error.ReplyTo is { } replyTo)
        {
            PendingRequest? request;
            lock (_gate)
            {
                request = _pending.Find(p => p.Id == replyTo);
                if (request is not null)
                {
                    _pending.Remove(request);
                }
            }

            if (request is not null)
            {
                request.Reply.TrySetException(ArcpErrorException.From(error));
                return;
            }
        }

        Log.UnsolicitedError(_logger, _session!.SessionId, error.Code.ToWireName(), error.Message);
        if (error.Code == ErrorCode.ResumeWindowExpired)
        {
            // The runtime can no longer deliver this session gap-free.
            Lose(ArcpErrorException.From(error));
        }
    }

    /// <summary>Completes the request a reply answers: by correlation id when present, otherwise the first that fits.</summary>
    private void Resolve(ArcpMessage reply, string? correlationId, Func<PendingRequest, bool> fallback)
    {
        PendingRequest? request;
        lock (_gate)
        {
            request = (correlationId is null ? null : _pending.Find(p => p.Id == correlationId)) ?? _pending.Find(p => fallback(p));
            if (request is not null)
            {
                _pending.Remove(request);
            }
        }

        request?.Reply.TrySetResult(reply);
    }
}

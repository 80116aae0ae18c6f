using System.Collections.Concurrent;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Json;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// The periodic side of the Web PubSub transport (a hosted loop locally, a timer function in Azure): flushes what
/// no append on this node triggered (observed jobs running elsewhere, a crashed sender's leftovers) and applies the
/// runtime's one <see cref="HeartbeatPolicy"/> to each attached session from its recorded inbound time: pings, and
/// after two silent intervals closes the connection with <c>HEARTBEAT_LOST</c> and detaches the session — its jobs
/// keep running and it stays resumable.
/// </summary>
public sealed partial class WebPubSubSweeper(
    ISessionStore sessions,
    SessionService sessionService,
    WebPubSubOutboxFlusher flusher,
    DeliveryLease lease,
    IConnectionHub hub,
    TimeProvider timeProvider,
    IOptions<ArcpSessionOptions> sessionOptions,
    ILogger<WebPubSubSweeper> logger)
{
    private static readonly TimeSpan s_firstIdleWait = TimeSpan.FromSeconds(2);

    // A listed attachment's session is read again, and an idle session's jobs pulled again, after this long even when
    // nothing looked wrong: what catches a hint left behind by a failed removal, or a sync nobody made or repaired.
    private static readonly TimeSpan s_rereadAfter = TimeSpan.FromMinutes(5);

    // An attach writes its hint before the session names the connection: a read in between must not drop the hint.
    private static readonly TimeSpan s_settleTime = TimeSpan.FromMinutes(1);

    private readonly EnvelopeFactory _envelopes = new(timeProvider);
    private readonly IdGenerator _ids = new(timeProvider);
    private readonly HeartbeatPolicy _policy = new(sessionOptions.Value);
    private readonly ConcurrentDictionary<string, IdleFlush> _idle = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SessionRead> _read = new(StringComparer.Ordinal);

    /// <summary>
    /// One pass over the sessions attached through Web PubSub. The listing is of hints (<see cref="AttachedSession"/>):
    /// pings and flush times are decided from them and from this node's last read of each session, which is read
    /// again only when its heartbeat looks lost, its last sweep failed, or <see cref="s_rereadAfter"/> passed — so an
    /// idle session costs nothing on most passes and its flush alone on the others.
    /// </summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var attached = await sessions.ListAttachedAsync(WebPubSubConnections.Prefix, 10_000, cancellationToken).ConfigureAwait(false);
        var listed = attached.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _idle.Keys.Concat(_read.Keys).Where(id => !listed.Contains(id)).ToList())
        {
            Drop(gone);
        }

        foreach (var hint in attached)
        {
            if (!WebPubSubConnections.TryGetConnectionId(hint.ConnectionId, out var connectionId))
            {
                continue;
            }

            try
            {
                await SweepOneAsync(hint, connectionId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                // Perhaps the hint is stale (the connection gone): the next pass reads the session first.
                _read.TryRemove(hint.SessionId, out _);
                LogSweepFailed(logger, ex, hint.SessionId);
            }
        }
    }

    private async Task SweepOneAsync(AttachedSession hint, string connectionId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var heartbeat = hint.Features.Contains("heartbeat");
        _read.TryGetValue(hint.SessionId, out var read);
        if (read is not null && !string.Equals(read.ConnectionId, hint.ConnectionId, StringComparison.Ordinal))
        {
            read = null;
        }

        var lastInbound = read is not null && read.LastInboundAt > hint.LastInboundAt ? read.LastInboundAt : hint.LastInboundAt;
        var decision = _policy.Decide(heartbeat, now, lastInbound);
        var flushDue = !(_idle.TryGetValue(hint.SessionId, out var idle) && now < idle.Due && lastInbound == idle.LastInbound);
        if (!flushDue && decision == HeartbeatDecision.None)
        {
            return;
        }

        if (read is null || decision == HeartbeatDecision.Lost || now - read.At >= s_rereadAfter)
        {
            // The hint may lag or be stale: decide on the session as stored.
            var session = await sessions.GetAsync(hint.SessionId, cancellationToken).ConfigureAwait(false);
            if (session is null || !string.Equals(session.ConnectionId, hint.ConnectionId, StringComparison.Ordinal))
            {
                Drop(hint.SessionId);
                if (now - hint.LastInboundAt > s_settleTime)
                {
                    await sessions.ForgetAttachedAsync(hint, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            read = new SessionRead(session.ConnectionId!, session.LastInboundAt ?? session.CreatedAt, session.DeliveredSeq, now);
            _read[hint.SessionId] = read;
            if (read.LastInboundAt > lastInbound)
            {
                lastInbound = read.LastInboundAt;
                decision = _policy.Decide(heartbeat, now, lastInbound);
            }

            if (decision == HeartbeatDecision.Lost)
            {
                await HeartbeatLostAsync(session, connectionId, now - lastInbound, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        if (flushDue)
        {
            await FlushAsync(hint, read, now, lastInbound, cancellationToken).ConfigureAwait(false);
        }

        if (decision == HeartbeatDecision.Ping)
        {
            // Nothing to order against events: straight to the connection.
            var ping = _envelopes.Create(hint.SessionId, new SessionPing(_ids.NewPingNonce(), ArcpTimestamp.Truncate(now)));
            await hub.SendAsync(connectionId, ping.ToUtf8Bytes(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Flushes a session on every pass while a job it follows runs or something waits to be sent; an idle, fully
    /// delivered session only every 2, 4, 8 … seconds up to <see cref="ArcpSessionOptions.IdleDeliveryPollCeiling"/>,
    /// and at once after it sent anything (a submit or a subscribe arrives as an inbound message, which moves its
    /// recorded inbound time). An idle session's flush pulls its subscribed jobs only when it stops being live, when
    /// its inbound time moved, or every <see cref="s_rereadAfter"/>; otherwise it is a seq read, as a direct
    /// WebSocket's idle poll is (syncs that no append made are repaired by the job sweeper, and show as a new seq).
    /// </summary>
    private async Task FlushAsync(AttachedSession hint, SessionRead read, DateTimeOffset now, DateTimeOffset lastInbound, CancellationToken cancellationToken)
    {
        _idle.TryGetValue(hint.SessionId, out var idle);
        var pull = idle is null || lastInbound != idle.LastInbound || now - idle.PulledAt >= s_rereadAfter;
        var live = pull
            ? await flusher.FlushAsync(hint.SessionId, hint.ConnectionId, read.AttachedSeq, pull: true, cancellationToken).ConfigureAwait(false)
            : await flusher.SendOutboxAsync(hint.SessionId, hint.ConnectionId, read.AttachedSeq, cancellationToken).ConfigureAwait(false);
        if (live)
        {
            _idle.TryRemove(hint.SessionId, out _);
            return;
        }

        var ceiling = sessionOptions.Value.IdleDeliveryPollCeiling;
        var wait = idle is null || lastInbound != idle.LastInbound ? s_firstIdleWait : idle.Wait * 2;
        wait = wait > ceiling ? ceiling : wait;
        _idle[hint.SessionId] = new IdleFlush(now + wait, wait, lastInbound, pull ? now : idle!.PulledAt);
    }

    private void Drop(string sessionId)
    {
        _idle.TryRemove(sessionId, out _);
        _read.TryRemove(sessionId, out _);
    }

    private async Task HeartbeatLostAsync(SessionState session, string connectionId, TimeSpan silent, CancellationToken cancellationToken)
    {
        LogHeartbeatLost(logger, session.SessionId);
        var held = await lease.TakeOverAsync(session.SessionId, cancellationToken).ConfigureAwait(false);
        try
        {
            var error = new ProtocolError(ErrorCode.HeartbeatLost, HeartbeatPolicy.LostMessage(silent)).ToSessionError();
            await hub.SendAsync(connectionId, _envelopes.Create(session.SessionId, error).ToUtf8Bytes(), cancellationToken).ConfigureAwait(false);
            await hub.CloseAsync(connectionId, "heartbeat lost", cancellationToken).ConfigureAwait(false);
            var connection = sessionService.Restore(session.ConnectionId!, new BufferedSessionOutput(), session);
            await sessionService.DetachAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (held is not null)
            {
                await held.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 3231, Level = LogLevel.Information, Message = "Web PubSub session {SessionId} lost its heartbeat; closed and detached, jobs untouched")]
    private static partial void LogHeartbeatLost(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 3232, Level = LogLevel.Warning, Message = "Sweeping Web PubSub session {SessionId} failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string sessionId);

    /// <summary>When an idle session is flushed next, the wait that got it there, the inbound time it was idle at, and when its jobs were last pulled.</summary>
    private sealed record IdleFlush(DateTimeOffset Due, TimeSpan Wait, DateTimeOffset LastInbound, DateTimeOffset PulledAt);

    /// <summary>What this node last read of a listed session: its connection, inbound time, the seq its connection started after, and when.</summary>
    private sealed record SessionRead(string ConnectionId, DateTimeOffset LastInboundAt, long AttachedSeq, DateTimeOffset At);
}

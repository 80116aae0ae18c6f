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
/// runtime's one <see cref="HeartbeatPolicy"/> to each attached session from its stored inbound time: pings, and
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
    private readonly EnvelopeFactory _envelopes = new(timeProvider);
    private readonly IdGenerator _ids = new(timeProvider);
    private readonly HeartbeatPolicy _policy = new(sessionOptions.Value);
    private readonly ConcurrentDictionary<string, IdleFlush> _idle = new(StringComparer.Ordinal);

    /// <summary>One pass over the sessions attached through Web PubSub.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var attached = await sessions.ListAttachedAsync(WebPubSubConnections.Prefix, 10_000, cancellationToken).ConfigureAwait(false);
        foreach (var gone in _idle.Keys.Except(attached.Select(s => s.SessionId), StringComparer.Ordinal).ToList())
        {
            _idle.TryRemove(gone, out _);
        }

        foreach (var session in attached)
        {
            if (!WebPubSubConnections.TryGetConnectionId(session.ConnectionId, out var connectionId))
            {
                continue;
            }

            try
            {
                var now = timeProvider.GetUtcNow();
                var lastInbound = session.LastInboundAt ?? session.CreatedAt;
                var decision = _policy.Decide(session.Features.Contains("heartbeat"), now, lastInbound);
                if (decision == HeartbeatDecision.Lost)
                {
                    await HeartbeatLostAsync(session, connectionId, now - lastInbound, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await FlushUnlessIdleAsync(session, now, lastInbound, cancellationToken).ConfigureAwait(false);
                if (decision == HeartbeatDecision.Ping)
                {
                    // Nothing to order against events: straight to the connection.
                    var ping = _envelopes.Create(session.SessionId, new SessionPing(_ids.NewPingNonce(), ArcpTimestamp.Truncate(now)));
                    await hub.SendAsync(connectionId, ping.ToUtf8Bytes(), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                LogSweepFailed(logger, ex, session.SessionId);
            }
        }
    }

    /// <summary>
    /// Flushes a session on every pass while a job it follows runs or something waits to be sent; an idle, fully
    /// delivered session only every 2, 4, 8 … seconds up to <see cref="ArcpSessionOptions.IdleDeliveryPollCeiling"/>,
    /// and at once after it sent anything (a submit or a subscribe arrives as an inbound message, which moves its
    /// stored inbound time). Without this every idle session cost a subscription query, a read per job it ever
    /// followed, a seq read and a lease read per pass, on every pass.
    /// </summary>
    private async Task FlushUnlessIdleAsync(SessionState session, DateTimeOffset now, DateTimeOffset lastInbound, CancellationToken cancellationToken)
    {
        if (_idle.TryGetValue(session.SessionId, out var idle) && now < idle.Due && lastInbound == idle.LastInbound)
        {
            return;
        }

        if (await flusher.FlushAsync(session, pull: true, cancellationToken).ConfigureAwait(false))
        {
            _idle.TryRemove(session.SessionId, out _);
            return;
        }

        var ceiling = sessionOptions.Value.IdleDeliveryPollCeiling;
        var wait = idle is null || lastInbound != idle.LastInbound ? s_firstIdleWait : idle.Wait * 2;
        wait = wait > ceiling ? ceiling : wait;
        _idle[session.SessionId] = new IdleFlush(now + wait, wait, lastInbound);
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

    /// <summary>When an idle session is flushed next, the wait that got it there, and the inbound time it was idle at.</summary>
    private sealed record IdleFlush(DateTimeOffset Due, TimeSpan Wait, DateTimeOffset LastInbound);
}

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
    private readonly EnvelopeFactory _envelopes = new(timeProvider);
    private readonly IdGenerator _ids = new(timeProvider);
    private readonly HeartbeatPolicy _policy = new(sessionOptions.Value);

    /// <summary>One pass over the sessions attached through Web PubSub.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var session in await sessions.ListAttachedAsync(WebPubSubConnections.Prefix, 10_000, cancellationToken).ConfigureAwait(false))
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

                await flusher.FlushAsync(session, pull: true, cancellationToken).ConfigureAwait(false);
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
}

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
/// no append on this node triggered (observed jobs running elsewhere, a crashed sender's leftovers), pings idle
/// heartbeat sessions and, after two silent intervals, closes the connection with <c>HEARTBEAT_LOST</c> and detaches
/// the session — its jobs keep running and it stays resumable.
/// </summary>
public sealed partial class WebPubSubSweeper(
    ISessionStore sessions,
    SessionService sessionService,
    WebPubSubOutboxFlusher flusher,
    IConnectionHub hub,
    TimeProvider timeProvider,
    IOptions<ArcpSessionOptions> sessionOptions,
    ILogger<WebPubSubSweeper> logger)
{
    private readonly EnvelopeFactory _envelopes = new(timeProvider);
    private readonly IdGenerator _ids = new(timeProvider);

    /// <summary>One pass over the sessions attached through Web PubSub.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(sessionOptions.Value.HeartbeatIntervalSec);
        foreach (var session in await sessions.ListAttachedAsync(WebPubSubConnections.Prefix, 10_000, cancellationToken).ConfigureAwait(false))
        {
            if (!WebPubSubConnections.TryGetConnectionId(session.ConnectionId, out var connectionId))
            {
                continue;
            }

            try
            {
                var silent = timeProvider.GetUtcNow() - (session.LastInboundAt ?? session.CreatedAt);
                if (session.Features.Contains("heartbeat") && silent > 2 * interval)
                {
                    await HeartbeatLostAsync(session, connectionId, silent, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await flusher.FlushAsync(session.SessionId, cancellationToken).ConfigureAwait(false);
                if (session.Features.Contains("heartbeat") && silent > interval)
                {
                    var ping = _envelopes.Create(session.SessionId, new SessionPing(_ids.NewPingNonce(), ArcpTimestamp.Truncate(timeProvider.GetUtcNow())));
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
        var error = new ProtocolError(ErrorCode.HeartbeatLost, $"No message for {(int)silent.TotalSeconds} s; the session stays resumable.").ToSessionError();
        await hub.SendAsync(connectionId, _envelopes.Create(session.SessionId, error).ToUtf8Bytes(), cancellationToken).ConfigureAwait(false);
        await hub.CloseAsync(connectionId, "heartbeat lost", cancellationToken).ConfigureAwait(false);
        var connection = sessionService.Restore(session.ConnectionId!, new BufferedSessionOutput(), session);
        await sessionService.DetachAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3231, Level = LogLevel.Information, Message = "Web PubSub session {SessionId} lost its heartbeat; closed and detached, jobs untouched")]
    private static partial void LogHeartbeatLost(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 3232, Level = LogLevel.Warning, Message = "Sweeping Web PubSub session {SessionId} failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string sessionId);
}

using Arcp.Protocol.Errors;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Json;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Supervision;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Sessions;

/// <summary>
/// Heartbeats of one direct connection, by the rule of <see cref="HeartbeatPolicy"/> (checked every interval): pings,
/// <c>HEARTBEAT_LOST</c> and close after two silent intervals, close when idle beyond the §14 limit. The session is
/// only detached: its jobs run on and it stays resumable.
/// </summary>
internal sealed partial class HeartbeatMonitor(SessionSender sender, SessionDetacher detacher, TimeProvider timeProvider, IOptions<ArcpSessionOptions> options, ILogger<HeartbeatMonitor> logger)
{
    private readonly ArcpSessionOptions _options = options.Value;
    private readonly IdGenerator _ids = new(timeProvider);
    private readonly HeartbeatPolicy _policy = new(options.Value);

    /// <summary>Runs until the connection closes or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(SessionConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var interval = TimeSpan.FromSeconds(_options.HeartbeatIntervalSec);
        var backoff = new FailureBackoff(timeProvider, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        DateTimeOffset? lastPingAt = timeProvider.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested && !connection.IsClosing)
            {
                await Task.Delay(connection.IsOpen && connection.Has("heartbeat") ? interval : TimeSpan.FromSeconds(Math.Min(_options.HeartbeatIntervalSec, 5)), timeProvider, cancellationToken).ConfigureAwait(false);
                if (!connection.IsOpen || connection.IsClosing)
                {
                    continue;
                }

                try
                {
                    var now = timeProvider.GetUtcNow();
                    switch (_policy.Decide(connection.Has("heartbeat"), now, connection.LastInboundAt, lastPingAt, connection.LastActivityAt, connection.LastDeliveryAt))
                    {
                        case HeartbeatDecision.Lost:
                            LogHeartbeatLost(logger, connection.SessionId);
                            await sender.SendErrorAsync(connection, new ProtocolError(ErrorCode.HeartbeatLost, HeartbeatPolicy.LostMessage(now - connection.LastInboundAt)), cancellationToken).ConfigureAwait(false);
                            await TryDetachAsync(connection, cancellationToken).ConfigureAwait(false);
                            await connection.Output.CloseAsync("heartbeat lost", cancellationToken).ConfigureAwait(false);
                            return;
                        case HeartbeatDecision.Idle:
                            LogIdleClosed(logger, connection.SessionId);
                            await TryDetachAsync(connection, cancellationToken).ConfigureAwait(false);
                            await connection.Output.CloseAsync("idle", cancellationToken).ConfigureAwait(false);
                            return;
                        case HeartbeatDecision.Ping:
                            await sender.SendAsync(connection, new SessionPing(_ids.NewPingNonce(), ArcpTimestamp.Truncate(now)), cancellationToken: cancellationToken).ConfigureAwait(false);
                            lastPingAt = now;
                            break;
                    }

                    backoff.Succeeded();
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
                {
                    // A failed send or session write must not end heartbeats for the connection: try again later.
                    var wait = backoff.Failed();
                    LogHeartbeatFailed(logger, ex, connection.SessionId, backoff.Failures, wait);
                    await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Transport ended.
        }
    }

    /// <summary>
    /// Marks the session detached; when storage fails the transport is still closed, and the connection handler's
    /// own detach on close tries again.
    /// </summary>
    private async Task TryDetachAsync(SessionConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await detacher.DetachAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            LogDetachFailed(logger, ex, connection.SessionId);
        }
    }

    [LoggerMessage(EventId = 2243, Level = LogLevel.Warning, Message = "Heartbeat check of session {SessionId} failed ({Failures} in a row); retrying in {Delay}")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, string sessionId, int failures, TimeSpan delay);

    [LoggerMessage(EventId = 2244, Level = LogLevel.Warning, Message = "Detaching session {SessionId} failed; closing its transport anyway")]
    private static partial void LogDetachFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 2241, Level = LogLevel.Information, Message = "Session {SessionId} lost its heartbeat; detached, jobs untouched")]
    private static partial void LogHeartbeatLost(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 2242, Level = LogLevel.Information, Message = "Session {SessionId} idle beyond the limit; detached")]
    private static partial void LogIdleClosed(ILogger logger, string sessionId);
}

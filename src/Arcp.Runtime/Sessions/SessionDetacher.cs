using Arcp.Runtime.Telemetry;
using Microsoft.Extensions.Logging;

namespace Arcp.Runtime.Sessions;

/// <summary>
/// The transport went away (close, drop, heartbeat loss, shutdown): the session is detached and stays resumable
/// for the resume window. Jobs are not touched — they never belonged to the connection.
/// </summary>
internal sealed partial class SessionDetacher(ISessionStore sessions, SessionCap sessionCap, TimeProvider timeProvider, ILogger<SessionDetacher> logger)
{
    /// <summary>Detaches the connection's session (once; later calls do nothing).</summary>
    public async Task DetachAsync(SessionConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.IsClosing = true;
        if (!connection.IsOpen)
        {
            return;
        }

        connection.IsOpen = false;
        if (connection.CountedOpen)
        {
            connection.CountedOpen = false;
            ArcpTelemetry.SessionsOpen.Add(-1);
        }

        if (await DetachSessionAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            // After the detach: a slot left behind by a failure here is freed by the cap's own check of detached sessions.
            await sessionCap.ReleaseAsync(connection.Principal!, connection.SessionId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Clears the session's connection; false when it is attached elsewhere (or gone).</summary>
    private async Task<bool> DetachSessionAsync(SessionConnection connection, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= 50; attempt++)
        {
            var session = await sessions.GetAsync(connection.SessionId, cancellationToken).ConfigureAwait(false);
            if (session is null || session.ConnectionId != connection.ConnectionId)
            {
                return session is null;
            }

            if (await sessions.TryUpdateAsync(session, session with { ConnectionId = null, DetachedAt = timeProvider.GetUtcNow() }, cancellationToken).ConfigureAwait(false) is not null)
            {
                LogDetached(logger, connection.SessionId);
                return true;
            }

            // The meta row is busy (acks, an attach elsewhere): try again shortly.
            await Storage.ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    [LoggerMessage(EventId = 2213, Level = LogLevel.Information, Message = "Session {SessionId} detached; its jobs keep running")]
    private static partial void LogDetached(ILogger logger, string sessionId);
}

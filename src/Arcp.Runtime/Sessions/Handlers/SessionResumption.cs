using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Ids;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>
/// Resume (§6.3, as the public ARCP SDKs expect), shared by a <c>session.hello</c> carrying a resume token and a bare
/// <c>session.resume</c>: token → session (constant-time check against the session's current hash), same principal,
/// inside the window counted from detach, coverage checked before anything is sent; then the token rotates, the
/// welcome goes out with the same session id, and delivery replays from the last seen seq with the original seqs.
/// </summary>
internal sealed partial class SessionResumption(
    ISessionStore sessions,
    SessionCap sessionCap,
    SessionWelcomes welcomes,
    SessionSender sender,
    SignalHub signals,
    TimeProvider timeProvider,
    IOptions<ArcpSessionOptions> options,
    ILogger<SessionResumption> logger)
{
    private readonly ArcpSessionOptions _options = options.Value;

    /// <param name="connection">The connection to attach.</param>
    /// <param name="message">The hello or resume (its id correlates errors).</param>
    /// <param name="token">The presented resume token.</param>
    /// <param name="claimedSessionId">The session id the client named, if any.</param>
    /// <param name="lastEventSeq">The last seq the client processed; absent means from what was issued.</param>
    /// <param name="principal">The authenticated principal of a hello; null for a bare resume (the token is the credential).</param>
    /// <param name="features">The features a hello negotiated; null keeps the session's.</param>
    /// <param name="sendWelcome">True for a hello: rotate the token and welcome.</param>
    /// <param name="cancellationToken">Cancels the resume.</param>
    public async Task ResumeAsync(SessionConnection connection, ArcpMessage message, string token, string? claimedSessionId, long? lastEventSeq, string? principal, IReadOnlyList<string>? features, bool sendWelcome, CancellationToken cancellationToken)
    {
        var expired = new ProtocolError(ErrorCode.ResumeWindowExpired, "The session cannot be resumed.") { RequestId = message.Id };
        var oldHash = ResumeTokens.Hash(token);
        var sessionId = await sessions.FindSessionByResumeTokenAsync(oldHash, cancellationToken).ConfigureAwait(false);
        var session = sessionId is null ? null : await sessions.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        if (session is null
            || !(IdFormats.SecretEquals(session.ResumeTokenHash, oldHash) | IdFormats.SecretEquals(session.PreviousResumeTokenHash, oldHash))
            || (claimedSessionId is not null && claimedSessionId != session.SessionId)
            || (principal is not null && principal != session.Principal)
            || (session.DetachedAt is { } detachedAt && now - detachedAt > TimeSpan.FromSeconds(_options.ResumeWindowSec)))
        {
            LogResumeRefused(logger, connection.ConnectionId);
            await sender.SendErrorAsync(connection, expired, cancellationToken).ConfigureAwait(false);
            return;
        }

        var lastIssued = await sessions.GetLastIssuedSeqAsync(session.SessionId, cancellationToken).ConfigureAwait(false);
        if (lastEventSeq is { } last && (last > lastIssued || last + 1 < session.OutboxFloor))
        {
            await sender.SendErrorAsync(connection, new ProtocolError(ErrorCode.ResumeWindowExpired, $"Events after {last} are not retained (retained: {session.OutboxFloor} to {lastIssued}).") { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var newToken = sendWelcome ? IdGenerator.NewResumeToken() : token;
        // A bare session.resume keeps the session's features, but never carries credentials onto an insecure connection.
        var effectiveFeatures = welcomes.Carry(features ?? session.Features, connection.IsSecureTransport);
        var attached = await AttachAsync(session, connection, oldHash, ResumeTokens.Hash(newToken), lastEventSeq ?? lastIssued, effectiveFeatures, now, cancellationToken).ConfigureAwait(false);
        if (attached is null)
        {
            // Another resume with the same token won the race; that token is spent.
            await sender.SendErrorAsync(connection, expired, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (sendWelcome)
        {
            // Valid now: the new token and the one just presented (in case this welcome is lost). Any other token the
            // session had (one issued in a welcome the client evidently never got, or the one before it) is spent.
            await sessions.IndexResumeTokenAsync(attached.ResumeTokenHash!, session.SessionId, cancellationToken).ConfigureAwait(false);
            foreach (var spent in new[] { session.ResumeTokenHash, session.PreviousResumeTokenHash }.OfType<string>().Where(h => h != oldHash))
            {
                await sessions.RemoveResumeTokenAsync(spent, cancellationToken).ConfigureAwait(false);
            }
        }

        await sessionCap.TryTakeAsync(session.Principal, session.SessionId, int.MaxValue, cancellationToken).ConfigureAwait(false);
        connection.SessionId = session.SessionId;
        connection.Principal = session.Principal;
        connection.Features = effectiveFeatures;
        connection.DeliveredSeq = lastEventSeq ?? lastIssued;
        if (sendWelcome)
        {
            await sender.SendAsync(connection, welcomes.Welcome(newToken, effectiveFeatures), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        connection.IsOpen = true;
        connection.CountedOpen = true;
        ArcpTelemetry.SessionsOpen.Add(1);
        signals.Pulse(SignalHub.Session(session.SessionId));
        LogResumed(logger, session.SessionId, connection.DeliveredSeq);
    }

    /// <summary>
    /// Attaches the session to this connection with the rotated token. A conflicting write (the old connection's
    /// detach, an ack) is retried on a fresh read; only a rotation by a competing resume spends the token.
    /// </summary>
    private async Task<SessionState?> AttachAsync(SessionState session, SessionConnection connection, string presentedHash, string newHash, long deliveredSeq, IReadOnlyList<string> features, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            var attached = await sessions.TryUpdateAsync(
                session,
                session with
                {
                    ResumeTokenHash = newHash,
                    PreviousResumeTokenHash = newHash == presentedHash ? session.PreviousResumeTokenHash : presentedHash,
                    ConnectionId = connection.ConnectionId,
                    DeliveredSeq = deliveredSeq,
                    DetachedAt = null,
                    LastInboundAt = now,
                    Features = features,
                },
                cancellationToken).ConfigureAwait(false);
            if (attached is not null)
            {
                return attached;
            }

            var fresh = await sessions.GetAsync(session.SessionId, cancellationToken).ConfigureAwait(false);
            if (fresh is null || !(IdFormats.SecretEquals(fresh.ResumeTokenHash, presentedHash) | IdFormats.SecretEquals(fresh.PreviousResumeTokenHash, presentedHash)))
            {
                return null;
            }

            session = fresh;
            await Storage.ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    [LoggerMessage(EventId = 2212, Level = LogLevel.Information, Message = "Session {SessionId} resumed after seq {LastEventSeq}")]
    private static partial void LogResumed(ILogger logger, string sessionId, long lastEventSeq);

    [LoggerMessage(EventId = 2215, Level = LogLevel.Warning, Message = "Resume on connection {ConnectionId} refused")]
    private static partial void LogResumeRefused(ILogger logger, string connectionId);
}

using System.Security.Cryptography;
using System.Text;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Telemetry;
using Microsoft.Extensions.Logging;

namespace Arcp.Runtime.Sessions;

public sealed partial class SessionService
{
    private async Task HelloAsync(SessionConnection connection, ArcpMessage message, SessionHello hello, CancellationToken cancellationToken)
    {
        if (hello.Auth?.Scheme is { } scheme && !string.Equals(scheme, "bearer", StringComparison.OrdinalIgnoreCase))
        {
            await SendErrorAsync(connection, ProtocolError.WithDetails(ErrorCode.InvalidRequest, $"Unsupported auth scheme '{scheme}'.", ("scheme", scheme)) with { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var principal = await authenticator.AuthenticateAsync(hello.Auth?.Token ?? "", cancellationToken).ConfigureAwait(false);
        if (principal is null)
        {
            LogUnauthenticated(logger, connection.ConnectionId);
            await SendErrorAsync(connection, new ProtocolError(ErrorCode.Unauthenticated, "Missing or invalid bearer token.") { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var features = Negotiate(hello.GetFeatures(), connection.IsSecureTransport);
        if (hello.GetResumeToken() is { } resumeToken)
        {
            await ResumeAsync(connection, message, resumeToken, hello.Resume?.SessionId, hello.GetLastEventSeq(), principal, features, sendWelcome: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!await sessionCap.TryTakeAsync(principal, connection.SessionId, _options.MaxSessionsPerPrincipal, cancellationToken).ConfigureAwait(false))
        {
            await SendErrorAsync(connection, new ProtocolError(ErrorCode.PermissionDenied, $"Principal has reached its limit of {_options.MaxSessionsPerPrincipal} open sessions.") { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var token = IdGenerator.NewResumeToken();
        var now = timeProvider.GetUtcNow();
        var session = new SessionState
        {
            SessionId = connection.SessionId,
            Principal = principal,
            Features = features,
            ResumeTokenHash = HashToken(token),
            ConnectionId = connection.ConnectionId,
            CreatedAt = now,
            LastInboundAt = now,
        };
        await sessions.CreateAsync(session, cancellationToken).ConfigureAwait(false);
        await sessions.IndexResumeTokenAsync(session.ResumeTokenHash, session.SessionId, cancellationToken).ConfigureAwait(false);

        connection.Principal = principal;
        connection.Features = features;
        connection.DeliveredSeq = 0;
        await SendAsync(connection, Welcome(token, features), cancellationToken: cancellationToken).ConfigureAwait(false);
        connection.IsOpen = true;
        connection.CountedOpen = true;
        ArcpTelemetry.SessionsOpen.Add(1);
        var client = hello.GetClientName() ?? "unknown";
        LogOpened(logger, connection.SessionId, client);
    }

    private async Task BareResumeAsync(SessionConnection connection, ArcpMessage message, SessionResume resume, CancellationToken cancellationToken)
    {
        // The token is the only credential of a bare session.resume; the principal carries over (as the public ARCP SDKs expect).
        await ResumeAsync(connection, message, resume.ResumeToken, resume.SessionId, resume.LastEventSeq, principal: null, features: null, sendWelcome: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resume (§6.3, as the public ARCP SDKs expect): token → session (constant-time check against the session's current hash), same
    /// principal, inside the window counted from detach, coverage checked before anything is sent; then the token
    /// rotates, the welcome goes out with the same session id, and delivery replays from <paramref name="lastEventSeq"/>
    /// with the original seqs.
    /// </summary>
    private async Task ResumeAsync(SessionConnection connection, ArcpMessage message, string token, string? claimedSessionId, long? lastEventSeq, string? principal, IReadOnlyList<string>? features, bool sendWelcome, CancellationToken cancellationToken)
    {
        var expired = new ProtocolError(ErrorCode.ResumeWindowExpired, "The session cannot be resumed.") { RequestId = message.Id };
        var oldHash = HashToken(token);
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
            await SendErrorAsync(connection, expired, cancellationToken).ConfigureAwait(false);
            return;
        }

        var lastIssued = await sessions.GetLastIssuedSeqAsync(session.SessionId, cancellationToken).ConfigureAwait(false);
        if (lastEventSeq is { } last && (last > lastIssued || last + 1 < session.OutboxFloor))
        {
            await SendErrorAsync(connection, new ProtocolError(ErrorCode.ResumeWindowExpired, $"Events after {last} are not retained (retained: {session.OutboxFloor} to {lastIssued}).") { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var newToken = sendWelcome ? IdGenerator.NewResumeToken() : token;
        // A bare session.resume keeps the session's features, but never carries credentials onto an insecure connection.
        var effectiveFeatures = (features ?? session.Features)
            .Where(f => f != Credentials.CredentialService.Feature || credentials.IsOfferedOn(connection.IsSecureTransport))
            .ToList();
        var attached = await AttachAsync(session, connection, oldHash, HashToken(newToken), lastEventSeq ?? lastIssued, effectiveFeatures, now, cancellationToken).ConfigureAwait(false);
        if (attached is null)
        {
            // Another resume with the same token won the race; that token is spent.
            await SendErrorAsync(connection, expired, cancellationToken).ConfigureAwait(false);
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
            await SendAsync(connection, Welcome(newToken, effectiveFeatures), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        connection.IsOpen = true;
        connection.CountedOpen = true;
        ArcpTelemetry.SessionsOpen.Add(1);
        signals.Pulse(SignalHub.Session(session.SessionId));
        LogResumed(logger, session.SessionId, connection.DeliveredSeq);
    }

    /// <summary>
    /// The transport went away (close, drop, heartbeat loss, shutdown): the session is detached and stays resumable
    /// for the resume window. Jobs are not touched — they never belonged to the connection.
    /// </summary>
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

    private async Task CloseAsync(SessionConnection connection, string? reason, CancellationToken cancellationToken)
    {
        await connection.SendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendAsync(connection, new SessionClosed(reason), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connection.SendGate.Release();
        }

        // Observer subscriptions end with an explicit close (as the public ARCP SDKs expect); the jobs themselves run on.
        foreach (var sub in await sessions.GetSubscriptionsAsync(connection.SessionId, cancellationToken).ConfigureAwait(false))
        {
            if (!sub.IsSubmitter)
            {
                await sessions.UnsubscribeAsync(connection.SessionId, sub.JobId, cancellationToken).ConfigureAwait(false);
            }
        }

        await DetachAsync(connection, cancellationToken).ConfigureAwait(false);
        await connection.Output.CloseAsync(reason ?? "session closed", cancellationToken).ConfigureAwait(false);
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

    private SessionWelcome Welcome(string token, IReadOnlyList<string> features) => new(
        new RuntimeInfo(_options.RuntimeName, _options.RuntimeVersion),
        token,
        _options.ResumeWindowSec,
        new WelcomeCapabilities(["json"], features, agents.Inventory),
        features.Contains("heartbeat", StringComparer.Ordinal) ? _options.HeartbeatIntervalSec : null);

    private List<string> Negotiate(IReadOnlyList<string> requested, bool secureTransport) =>
        _options.Features
            .Concat(credentials.IsOfferedOn(secureTransport) ? [Credentials.CredentialService.Feature] : [])
            .Where(f => requested.Contains(f, StringComparer.Ordinal))
            .ToList();

    /// <summary>Resume tokens are stored only as SHA-256 hex.</summary>
    private static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    [LoggerMessage(EventId = 2211, Level = LogLevel.Information, Message = "Session {SessionId} opened by client {Client}")]
    private static partial void LogOpened(ILogger logger, string sessionId, string client);

    [LoggerMessage(EventId = 2212, Level = LogLevel.Information, Message = "Session {SessionId} resumed after seq {LastEventSeq}")]
    private static partial void LogResumed(ILogger logger, string sessionId, long lastEventSeq);

    [LoggerMessage(EventId = 2213, Level = LogLevel.Information, Message = "Session {SessionId} detached; its jobs keep running")]
    private static partial void LogDetached(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 2214, Level = LogLevel.Warning, Message = "Hello on connection {ConnectionId} failed authentication")]
    private static partial void LogUnauthenticated(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 2215, Level = LogLevel.Warning, Message = "Resume on connection {ConnectionId} refused")]
    private static partial void LogResumeRefused(ILogger logger, string connectionId);
}

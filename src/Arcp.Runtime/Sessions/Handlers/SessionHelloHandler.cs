using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Sessions.Auth;
using Arcp.Runtime.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>
/// <c>session.hello</c> (§6.2): authenticates the bearer token, negotiates features and, within the principal's
/// session cap, creates the session and welcomes it. A hello carrying a resume token resumes instead.
/// </summary>
internal sealed partial class SessionHelloHandler(
    ISessionStore sessions,
    IBearerAuthenticator authenticator,
    SessionCap sessionCap,
    SessionWelcomes welcomes,
    SessionResumption resumption,
    SessionSender sender,
    TimeProvider timeProvider,
    IOptions<ArcpSessionOptions> options,
    ILogger<SessionHelloHandler> logger) : MessageHandler<SessionHello>
{
    private readonly ArcpSessionOptions _options = options.Value;

    public override MessagePhase Phase => MessagePhase.Handshake;

    protected override async Task HandleAsync(SessionConnection connection, ArcpMessage message, SessionHello payload, CancellationToken cancellationToken)
    {
        if (payload.Auth?.Scheme is { } scheme && !string.Equals(scheme, "bearer", StringComparison.OrdinalIgnoreCase))
        {
            await sender.SendErrorAsync(connection, ProtocolError.WithDetails(ErrorCode.InvalidRequest, $"Unsupported auth scheme '{scheme}'.", ("scheme", scheme)) with { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var principal = await authenticator.AuthenticateAsync(payload.Auth?.Token ?? "", cancellationToken).ConfigureAwait(false);
        if (principal is null)
        {
            LogUnauthenticated(logger, connection.ConnectionId);
            await sender.SendErrorAsync(connection, new ProtocolError(ErrorCode.Unauthenticated, "Missing or invalid bearer token.") { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var features = welcomes.Negotiate(payload.GetFeatures(), connection.IsSecureTransport);
        if (payload.GetResumeToken() is { } resumeToken)
        {
            await resumption.ResumeAsync(connection, message, resumeToken, payload.Resume?.SessionId, payload.GetLastEventSeq(), principal, features, sendWelcome: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!await sessionCap.TryTakeAsync(principal, connection.SessionId, _options.MaxSessionsPerPrincipal, cancellationToken).ConfigureAwait(false))
        {
            await sender.SendErrorAsync(connection, new ProtocolError(ErrorCode.PermissionDenied, $"Principal has reached its limit of {_options.MaxSessionsPerPrincipal} open sessions.") { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var token = IdGenerator.NewResumeToken();
        var now = timeProvider.GetUtcNow();
        var session = new SessionState
        {
            SessionId = connection.SessionId,
            Principal = principal,
            Features = features,
            ResumeTokenHash = ResumeTokens.Hash(token),
            ConnectionId = connection.ConnectionId,
            CreatedAt = now,
            LastInboundAt = now,
        };
        await sessions.CreateAsync(session, cancellationToken).ConfigureAwait(false);
        await sessions.IndexResumeTokenAsync(session.ResumeTokenHash, session.SessionId, cancellationToken).ConfigureAwait(false);

        connection.Principal = principal;
        connection.Features = features;
        connection.DeliveredSeq = 0;
        await sender.SendAsync(connection, welcomes.Welcome(token, features), cancellationToken: cancellationToken).ConfigureAwait(false);
        connection.IsOpen = true;
        connection.CountedOpen = true;
        ArcpTelemetry.SessionsOpen.Add(1);
        var client = payload.GetClientName() ?? "unknown";
        LogOpened(logger, connection.SessionId, client);
    }

    [LoggerMessage(EventId = 2211, Level = LogLevel.Information, Message = "Session {SessionId} opened by client {Client}")]
    private static partial void LogOpened(ILogger logger, string sessionId, string client);

    [LoggerMessage(EventId = 2214, Level = LogLevel.Warning, Message = "Hello on connection {ConnectionId} failed authentication")]
    private static partial void LogUnauthenticated(ILogger logger, string connectionId);
}

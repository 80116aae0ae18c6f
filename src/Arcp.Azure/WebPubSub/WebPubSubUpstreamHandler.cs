using System.Text.Json;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// The Web PubSub event handler (<c>/api/webpubsub</c>): CloudEvents in HTTP binary mode. Answers the abuse-protection
/// handshake, checks <c>ce-signature</c> against the access keys, admits only connections whose token names a user
/// (issued by <c>negotiate</c>), hands each <c>message</c> to the session service and detaches the session on
/// <c>disconnected</c> — its jobs are untouched. It only translates: ordering is the delivery engine's
/// (<see cref="WebPubSubOutboxFlusher"/>), and how a reply leaves follows the ordering the session layer gave it.
/// Both the local host and the Functions app map it.
/// </summary>
public sealed partial class WebPubSubUpstreamHandler(
    SessionService sessionService,
    ISessionStore sessions,
    WebPubSubOutboxFlusher flusher,
    DeliveryLease lease,
    InboundGuards guards,
    UpstreamTokenValidator upstreamTokens,
    IConnectionHub hub,
    TimeProvider timeProvider,
    IOptions<WebPubSubOptions> options,
    IOptions<ArcpSessionOptions> sessionOptions,
    ILogger<WebPubSubUpstreamHandler> logger)
{
    private const string ConnectionStateHeader = "ce-connectionState";
    private static readonly TimeSpan s_leaseWait = TimeSpan.FromSeconds(5);

    /// <summary>Handles one upstream request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var response = context.Response;
        if (HttpMethods.IsOptions(request.Method))
        {
            // Abuse protection (CloudEvents webhook validation): only the configured service may deliver events here.
            var origin = request.Headers["WebHook-Request-Origin"].FirstOrDefault();
            if (!WebPubSubOrigin.IsAllowed(options.Value.Endpoint, origin))
            {
                LogOriginRefused(logger, origin ?? "");
                response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            response.Headers["WebHook-Allowed-Origin"] = origin;
            response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var connectionId = Header(request, "ce-connectionId");
        var eventName = Header(request, "ce-eventName") ?? EventNameFromType(Header(request, "ce-type"));
        if (!HttpMethods.IsPost(request.Method) || string.IsNullOrEmpty(connectionId) || eventName is null)
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        // Fail closed: events are accepted only with a valid signature (access keys) or a valid Entra token (managed identity).
        var keys = options.Value.Keys;
        var authentic = keys.Count > 0
            ? WebPubSubTokens.SignatureMatches(keys, connectionId, Header(request, "ce-signature"))
            : await upstreamTokens.ValidateAsync(request.Headers.Authorization.FirstOrDefault(), context.RequestAborted);
        if (!authentic)
        {
            LogBadSignature(logger, connectionId);
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var cancellationToken = context.RequestAborted;
        switch (eventName)
        {
            case "connect":
                // Only connections whose token was minted by negotiate (which names the principal) get in.
                response.StatusCode = string.IsNullOrEmpty(Header(request, "ce-userId")) ? StatusCodes.Status401Unauthorized : StatusCodes.Status204NoContent;
                return;
            case "connected":
                response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case "disconnected":
                await DisconnectedAsync(request, connectionId, cancellationToken);
                response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case "message":
                await MessageAsync(context, connectionId, cancellationToken);
                return;
            default:
                response.StatusCode = StatusCodes.Status204NoContent;
                return;
        }
    }

    /// <summary>
    /// One client frame. The connection state is rebuilt from the session row (never from who holds the delivery
    /// lease); replies that must stay in order with events leave through REST in one burst with the outbox, and a
    /// lone error or pong rides in the 200 reply body.
    /// </summary>
    private async Task MessageAsync(HttpContext context, string connectionId, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, cancellationToken);
        var sessionConnectionId = WebPubSubConnections.ToSessionConnectionId(connectionId);
        var knownSessionId = ReadConnectionState(Header(context.Request, ConnectionStateHeader));
        var session = knownSessionId is null ? null : await sessions.GetAsync(knownSessionId, cancellationToken);

        var output = new BufferedSessionOutput();
        var connection = sessionService.Restore(sessionConnectionId, output, session, guards.For(connectionId));
        await sessionService.HandleFrameAsync(connection, body.GetBuffer().AsMemory(0, (int)body.Length), cancellationToken);
        if (connection.IsOpen && connection.SessionId != knownSessionId)
        {
            context.Response.Headers[ConnectionStateHeader] = WriteConnectionState(connection.SessionId);
        }

        if (session is not null && session.ConnectionId == sessionConnectionId)
        {
            await TouchAsync(session, force: connection.Subscribed, cancellationToken);
        }

        // The session the replies belong to: the stored one, or the one this frame opened.
        var orderedSessionId = session?.SessionId ?? (connection.IsOpen ? connection.SessionId : null);
        if (!output.HasOrdered && output.Frames.Count == 1)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/plain";
            await context.Response.Body.WriteAsync(output.Frames[0].Frame, cancellationToken);
        }
        else if (output.HasOrdered && orderedSessionId is not null)
        {
            await flusher.DeliverRepliesAsync(orderedSessionId, sessionConnectionId, connection.DeliveredSeq, [.. output.Frames.Select(f => f.Frame)], s_leaseWait, cancellationToken);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        else
        {
            foreach (var (frame, _) in output.Frames)
            {
                await hub.SendAsync(connectionId, frame, cancellationToken);
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }

        if (output.CloseReason is { } reason)
        {
            await hub.CloseAsync(connectionId, reason, cancellationToken);
        }
    }

    /// <summary>
    /// Records inbound liveness for the heartbeat rule and the session cap, at most every quarter interval (a minute at
    /// most): a write per message would cost more than the message. A subscribe is recorded at once (<paramref name="force"/>):
    /// the sweeper sees the moved time and pulls the session at the live rate, whichever node it runs on. Best effort:
    /// a failure must not drop the connection.
    /// </summary>
    private async Task TouchAsync(SessionState session, bool force, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var every = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(sessionOptions.Value.HeartbeatIntervalSec).Ticks / 4, TimeSpan.FromMinutes(1).Ticks));
        if (!force && now - (session.LastInboundAt ?? session.CreatedAt) < every)
        {
            return;
        }

        try
        {
            SessionState? current = session;
            for (var attempt = 0; attempt < 3 && current is { ConnectionId: not null }; attempt++)
            {
                if (await sessions.TryUpdateAsync(current, current with { LastInboundAt = now }, cancellationToken) is not null)
                {
                    return;
                }

                current = await sessions.GetAsync(session.SessionId, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            LogTouchFailed(logger, ex, session.SessionId);
        }
    }

    /// <summary>
    /// The connection is gone: the detach takes the delivery lease over, so a burst still sending to the connection
    /// stops at its next renewal instead of running on (and its progress stays tied to the old connection).
    /// </summary>
    private async Task DisconnectedAsync(HttpRequest request, string connectionId, CancellationToken cancellationToken)
    {
        guards.Remove(connectionId);
        if (ReadConnectionState(Header(request, ConnectionStateHeader)) is not { } sessionId)
        {
            return;
        }

        var held = await lease.TakeOverAsync(sessionId, cancellationToken);
        try
        {
            var session = await sessions.GetAsync(sessionId, cancellationToken);
            if (session is not null)
            {
                var connection = sessionService.Restore(WebPubSubConnections.ToSessionConnectionId(connectionId), new BufferedSessionOutput(), session);
                await sessionService.DetachAsync(connection, cancellationToken);
            }
        }
        finally
        {
            if (held is not null)
            {
                await held.ReleaseAsync(CancellationToken.None);
            }
        }
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private static string? EventNameFromType(string? type) => type switch
    {
        "azure.webpubsub.sys.connect" => "connect",
        "azure.webpubsub.sys.connected" => "connected",
        "azure.webpubsub.sys.disconnected" => "disconnected",
        "azure.webpubsub.user.message" => "message",
        _ => null,
    };

    /// <summary>The service's convention: connection state is base64 of a JSON object; ours holds the session id.</summary>
    private static string WriteConnectionState(string sessionId) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["sid"] = sessionId }, WebPubSubJsonContext.Default.DictionaryStringString));

    private static string? ReadConnectionState(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize(Convert.FromBase64String(header), WebPubSubJsonContext.Default.DictionaryStringString);
            return state is not null && state.TryGetValue("sid", out var sessionId) ? sessionId : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 6121, Level = LogLevel.Warning, Message = "Recording inbound time of session {SessionId} failed; the next message tries again")]
    private static partial void LogTouchFailed(ILogger logger, Exception exception, string sessionId);
    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Refused the abuse-protection handshake from origin {Origin}: not the configured Web PubSub service")]
    private static partial void LogOriginRefused(ILogger logger, string origin);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Warning, Message = "Rejected an upstream event for connection {ConnectionId}: no valid signature or upstream token")]
    private static partial void LogBadSignature(ILogger logger, string connectionId);
}

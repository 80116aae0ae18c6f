using System.Text;
using System.Text.Json;
using Arcp.Runtime.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// The Web PubSub event handler (<c>/api/webpubsub</c>): CloudEvents in HTTP binary mode. Answers the abuse-protection
/// handshake, checks <c>ce-signature</c> against the access keys, admits only connections whose token names a user
/// (issued by <c>negotiate</c>), hands each <c>message</c> to the session service and detaches the session on
/// <c>disconnected</c> — its jobs are untouched. Both the local host and the Functions app map it.
/// </summary>
public sealed partial class WebPubSubUpstreamHandler(
    SessionService sessionService,
    ISessionStore sessions,
    WebPubSubOutboxFlusher flusher,
    UpstreamTokenValidator upstreamTokens,
    Runtime.Delivery.IConnectionHub hub,
    TimeProvider timeProvider,
    IOptions<WebPubSubOptions> options,
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
    /// One client frame. Every frame to the client leaves through REST under the session's delivery lease, in order with
    /// the session's events; only an error or a pong (nothing to order against) rides in the 200 reply body.
    /// </summary>
    private async Task MessageAsync(HttpContext context, string connectionId, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, cancellationToken);
        var sessionConnectionId = WebPubSubConnections.ToSessionConnectionId(connectionId);
        var knownSessionId = ReadConnectionState(Header(context.Request, ConnectionStateHeader));

        SessionState? held = null;
        if (knownSessionId is not null)
        {
            held = await flusher.Lease.AcquireAsync(knownSessionId, s_leaseWait, cancellationToken);
        }

        var output = new BufferedSessionOutput();
        var connection = sessionService.Restore(sessionConnectionId, output, held);
        var released = false;
        try
        {
            await sessionService.HandleFrameAsync(connection, body.GetBuffer().AsMemory(0, (int)body.Length), cancellationToken);
            if (connection.IsOpen && connection.SessionId != knownSessionId)
            {
                context.Response.Headers[ConnectionStateHeader] = WriteConnectionState(connection.SessionId);
                if (held is null)
                {
                    held = await flusher.Lease.AcquireAsync(connection.SessionId, s_leaseWait, cancellationToken);
                }
            }

            if (output.Frames.Count == 1 && held is null && IsUnordered(output.Frames[0]))
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "text/plain";
                await context.Response.Body.WriteAsync(output.Frames[0], cancellationToken);
            }
            else
            {
                foreach (var frame in output.Frames)
                {
                    await hub.SendAsync(connectionId, frame, cancellationToken);
                }

                context.Response.StatusCode = StatusCodes.Status204NoContent;
            }

            var delivered = connection.DeliveredSeq;
            if (held is not null && connection.IsOpen)
            {
                var current = await sessions.GetAsync(connection.SessionId, cancellationToken);
                if (current is not null)
                {
                    delivered = await flusher.SendPendingAsync(current, Math.Max(current.DeliveredSeq, connection.DeliveredSeq), cancellationToken);
                }
            }

            if (held is not null)
            {
                await flusher.Lease.ReleaseAsync(held, delivered, timeProvider.GetUtcNow(), CancellationToken.None);
                released = true;
            }

            if (output.CloseReason is { } reason)
            {
                await hub.CloseAsync(connectionId, reason, cancellationToken);
            }
        }
        finally
        {
            if (held is not null && !released)
            {
                await flusher.Lease.ReleaseAsync(held, connection.DeliveredSeq, null, CancellationToken.None);
            }
        }
    }

    private async Task DisconnectedAsync(HttpRequest request, string connectionId, CancellationToken cancellationToken)
    {
        if (ReadConnectionState(Header(request, ConnectionStateHeader)) is not { } sessionId)
        {
            return;
        }

        var session = await sessions.GetAsync(sessionId, cancellationToken);
        if (session is not null)
        {
            var connection = sessionService.Restore(WebPubSubConnections.ToSessionConnectionId(connectionId), new BufferedSessionOutput(), session);
            await sessionService.DetachAsync(connection, cancellationToken);
        }
    }

    private static bool IsUnordered(byte[] frame)
    {
        // Errors and pongs carry nothing a client orders against events; everything else goes through the lease.
        var text = Encoding.UTF8.GetString(frame, 0, Math.Min(frame.Length, 160));
        return text.Contains("\"type\":\"session.error\"", StringComparison.Ordinal) || text.Contains("\"type\":\"session.pong\"", StringComparison.Ordinal);
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

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Refused the abuse-protection handshake from origin {Origin}: not the configured Web PubSub service")]
    private static partial void LogOriginRefused(ILogger logger, string origin);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Warning, Message = "Rejected an upstream event for connection {ConnectionId}: no valid signature or upstream token")]
    private static partial void LogBadSignature(ILogger logger, string connectionId);
}

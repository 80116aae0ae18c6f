using System.Text.Json;
using Arcp.Runtime.Sessions.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// <c>GET /api/negotiate</c>: authenticates the caller's bearer token with the same verifier as <c>session.hello</c>
/// and answers <c>{"url": "wss://…/client/hubs/&lt;hub&gt;?access_token=…"}</c> with a short-lived token naming the
/// principal. The ARCP hello still authenticates again over the socket.
/// </summary>
public sealed partial class NegotiateHandler(IBearerAuthenticator authenticator, WebPubSubServiceClient client, IOptions<WebPubSubOptions> options, ILogger<NegotiateHandler> logger)
{
    /// <summary>Handles one negotiate request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.FirstOrDefault();
        var token = header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var principal = token is null ? null : await authenticator.AuthenticateAsync(token, context.RequestAborted);
        if (principal is null)
        {
            LogRefused(logger);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return;
        }

        var url = await client.GetClientAccessUriAsync(principal, options.Value.ClientTokenLifetime, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new Dictionary<string, string> { ["url"] = url.AbsoluteUri }, WebPubSubJsonContext.Default.DictionaryStringString, context.RequestAborted);
    }

    [LoggerMessage(EventId = 3221, Level = LogLevel.Warning, Message = "Negotiate refused: missing or invalid bearer token")]
    private static partial void LogRefused(ILogger logger);
}

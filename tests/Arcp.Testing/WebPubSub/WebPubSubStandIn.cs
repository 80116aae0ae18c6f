using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Arcp.Testing.WebPubSub;

/// <summary>
/// A local stand-in for the Azure Web PubSub service, faithful to its documented behaviour (not to ours), so the
/// runtime's adapter and upstream handler can be tested end to end. Rules and their sources:
/// <list type="bullet">
/// <item>Client URL <c>/client/hubs/{hub}?access_token=</c>; the token is an HS256 JWT keyed with the UTF-8 bytes of
/// the access key, <c>aud</c> = <c>https://host/client/hubs/{hub}</c> (azure-web-pubsub howto-generate-client-access-url;
/// the .NET SDK's WebPubSubServiceClient_helpers / JwtBuilder).</item>
/// <item>The <c>connect</c> event is blocking and runs before the upgrade; a 4xx reply fails the handshake
/// (reference-cloud-events.md, "connect").</item>
/// <item>Each client frame becomes one blocking <c>message</c> event; a 200 reply body is sent back to that client as a
/// text frame for <c>text/plain</c>; any non-2xx reply drops the connection (reference-cloud-events.md, "message").</item>
/// <item><c>ce-connectionState</c> returned on a blocking reply is stored and echoed on later events of the connection
/// (reference-cloud-events.md, connection state).</item>
/// <item><c>disconnected</c> is always sent after a successful connect (reference-cloud-events.md).</item>
/// <item><c>ce-signature</c> is <c>sha256=</c> hex HMAC-SHA256(key, connectionId), one per key, comma separated
/// (howto-develop-eventhandler.md; SDK RequestValidator).</item>
/// <item>REST (api-version 2024-12-01): <c>POST …/connections/{id}/:send</c> → 202, <c>DELETE …/connections/{id}</c>
/// → 204, <c>HEAD …/connections/{id}</c> → 200/404; authorised by an HS256 JWT whose <c>aud</c> is the full request
/// URL (SDK WebPubSubAuthenticationPolicy). Unknown connection on send: 404 here (the service's answer is not documented).</item>
/// </list>
/// </summary>
public sealed class WebPubSubStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ClientConnection> _connections = new(StringComparer.Ordinal);
    private readonly HttpClient _upstream = new();

    private WebPubSubStandIn(WebApplication app, string hub, string accessKey)
    {
        _app = app;
        Hub = hub;
        AccessKey = accessKey;
    }

    /// <summary>The hub served.</summary>
    public string Hub { get; }

    /// <summary>The primary access key.</summary>
    public string AccessKey { get; }

    /// <summary>The service endpoint (<c>http://127.0.0.1:port</c>).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Where upstream events are posted (the runtime's <c>/api/webpubsub</c>).</summary>
    public Uri? UpstreamUrl { get; set; }

    /// <summary>Signs upstream events with this key instead of the real one (to test signature checks).</summary>
    public string? SigningKeyOverride { get; set; }

    /// <summary>Number of REST sends accepted.</summary>
    public int RestSends => Volatile.Read(ref _restSends);

    private int _restSends;

    /// <summary>Open client connection ids.</summary>
    public IReadOnlyCollection<string> ConnectionIds => _connections.Keys.ToList();

    /// <summary>Starts the stand-in on a free loopback port.</summary>
    public static async Task<WebPubSubStandIn> StartAsync(string hub = "arcp", string? accessKey = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new WebPubSubStandIn(app, hub, accessKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        app.UseWebSockets();
        app.Map("/client/hubs/{hub}", standIn.ClientAsync);
        app.MapPost("/api/hubs/{hub}/connections/{connectionId}/:send", standIn.SendAsync);
        app.MapDelete("/api/hubs/{hub}/connections/{connectionId}", standIn.CloseAsync);
        app.MapMethods("/api/hubs/{hub}/connections/{connectionId}", ["HEAD"], standIn.ExistsAsync);
        await app.StartAsync();
        standIn.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return standIn;
    }

    /// <summary>Mints a client token like the service's SDK (tests that skip negotiate).</summary>
    public string CreateClientToken(string? userId, TimeSpan? lifetime = null, string? key = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Audience = new Uri(HttpsEndpoint(), $"client/hubs/{Hub}").AbsoluteUri,
            NotBefore = now.AddSeconds(-5),
            IssuedAt = now.AddSeconds(-5),
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(10)),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key ?? AccessKey)), SecurityAlgorithms.HmacSha256),
        };
        if (userId is not null)
        {
            descriptor.Claims = new Dictionary<string, object> { ["sub"] = userId };
        }

        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>Drops a client's TCP connection without a close handshake (as a network failure would).</summary>
    public void Abort(string connectionId)
    {
        if (_connections.TryGetValue(connectionId, out var connection))
        {
            connection.Socket.Abort();
        }
    }

    // The service's own endpoint is https; a local stand-in is reached over http, so its audience uses the endpoint
    // as addressed — what the SDK does too (it appends client/hubs/{hub} to the configured endpoint).
    private Uri HttpsEndpoint() => new UriBuilder(Endpoint) { Path = "/" }.Uri;

    private async Task ClientAsync(HttpContext context)
    {
        var userId = ValidateClientToken(context.Request.Query["access_token"].FirstOrDefault());
        if (userId is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var connectionId = Guid.NewGuid().ToString("N");
        using (var connect = await PostEventAsync("azure.webpubsub.sys.connect", "connect", connectionId, userId.Length == 0 ? null : userId, null, "{\"claims\":{},\"query\":{},\"headers\":{},\"subprotocols\":[]}", "application/json"))
        {
            if (!connect.IsSuccessStatusCode)
            {
                context.Response.StatusCode = (int)connect.StatusCode;
                return;
            }
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new ClientConnection(socket, userId);
        _connections[connectionId] = connection;
        (await PostEventAsync("azure.webpubsub.sys.connected", "connected", connectionId, userId, null, "{}", "application/json")).Dispose();
        var reason = "";
        try
        {
            var buffer = new byte[1024 * 1024 + 1];
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length < buffer.Length);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                // Blocking: the next frame is read only after the upstream answered this one.
                using var reply = await PostEventAsync("azure.webpubsub.user.message", "message", connectionId, userId, connection.State, Encoding.UTF8.GetString(buffer, 0, length), "text/plain");
                if (reply.Headers.TryGetValues("ce-connectionState", out var states))
                {
                    connection.State = states.First();
                }

                if (!reply.IsSuccessStatusCode)
                {
                    reason = $"upstream answered {(int)reply.StatusCode}";
                    await connection.SendLock.WaitAsync();
                    try
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, reason, CancellationToken.None);
                    }
                    finally
                    {
                        connection.SendLock.Release();
                    }

                    break;
                }

                var body = await reply.Content.ReadAsByteArrayAsync();
                if ((int)reply.StatusCode == 200 && body.Length > 0)
                {
                    await connection.SendAsync(body);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            reason = "connection lost";
        }
        finally
        {
            _connections.TryRemove(connectionId, out _);
            (await PostEventAsync("azure.webpubsub.sys.disconnected", "disconnected", connectionId, userId, connection.State, $"{{\"reason\":\"{reason}\"}}", "application/json")).Dispose();
        }
    }

    private async Task SendAsync(HttpContext context, string connectionId)
    {
        if (!Authorized(context))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (!_connections.TryGetValue(connectionId, out var connection))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        await connection.SendAsync(body.ToArray());
        Interlocked.Increment(ref _restSends);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task CloseAsync(HttpContext context, string connectionId)
    {
        if (!Authorized(context))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (_connections.TryGetValue(connectionId, out var connection))
        {
            await connection.SendLock.WaitAsync();
            try
            {
                if (connection.Socket.State == WebSocketState.Open)
                {
                    await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, context.Request.Query["reason"].FirstOrDefault() ?? "", CancellationToken.None);
                }
            }
            finally
            {
                connection.SendLock.Release();
            }
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private Task ExistsAsync(HttpContext context, string connectionId)
    {
        context.Response.StatusCode = !Authorized(context) ? StatusCodes.Status401Unauthorized
            : _connections.ContainsKey(connectionId) ? StatusCodes.Status200OK
            : StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private bool Authorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.FirstOrDefault();
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }

        // aud = the full request URL as the client addressed it.
        var url = $"{Endpoint.Scheme}://{Endpoint.Authority}{context.Request.Path}{context.Request.QueryString}";
        return Validate(header["Bearer ".Length..], url) is not null;
    }

    private string? ValidateClientToken(string? token) =>
        token is null ? null : Validate(token, new Uri(HttpsEndpoint(), $"client/hubs/{Hub}").AbsoluteUri);

    /// <summary>The token's <c>sub</c> ("" when absent), or null when invalid.</summary>
    private string? Validate(string token, string audience)
    {
        var result = new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidAudience = audience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(AccessKey)),
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        }).GetAwaiter().GetResult();
        return !result.IsValid ? null : result.Claims.TryGetValue("sub", out var sub) ? sub as string ?? "" : "";
    }

    private async Task<HttpResponseMessage> PostEventAsync(string type, string eventName, string connectionId, string? userId, string? state, string body, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, UpstreamUrl ?? throw new InvalidOperationException("UpstreamUrl is not set."))
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        var key = SigningKeyOverride ?? AccessKey;
        request.Headers.Add("WebHook-Request-Origin", Endpoint.Host);
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-type", type);
        request.Headers.Add("ce-source", $"/hubs/{Hub}/client/{connectionId}");
        request.Headers.Add("ce-id", Guid.NewGuid().ToString("N"));
        request.Headers.Add("ce-time", DateTime.UtcNow.ToString("O"));
        request.Headers.Add("ce-hub", Hub);
        request.Headers.Add("ce-connectionId", connectionId);
        request.Headers.Add("ce-eventName", eventName);
        request.Headers.Add("ce-signature", "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(connectionId))));
        if (!string.IsNullOrEmpty(userId))
        {
            request.Headers.Add("ce-userId", userId);
        }

        if (state is not null)
        {
            request.Headers.Add("ce-connectionState", state);
        }

        return await _upstream.SendAsync(request);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Socket.Abort();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private sealed class ClientConnection(WebSocket socket, string userId)
    {
        public WebSocket Socket { get; } = socket;

        public string UserId { get; } = userId;

        public string? State { get; set; }

        public SemaphoreSlim SendLock { get; } = new(1, 1);

        public async Task SendAsync(byte[] frame)
        {
            await SendLock.WaitAsync();
            try
            {
                if (Socket.State == WebSocketState.Open)
                {
                    await Socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
            finally
            {
                SendLock.Release();
            }
        }
    }
}

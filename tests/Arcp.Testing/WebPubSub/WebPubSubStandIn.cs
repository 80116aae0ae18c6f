using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Arcp.Testing.WebPubSub;

/// <summary>
/// A local stand-in for the Azure Web PubSub service, faithful to its documented behaviour (not to ours), so the
/// runtime's adapter and upstream handler can be tested end to end — in the test process or as its own process
/// (<c>tests/Arcp.WebPubSub.StandIn</c>). Rules and their sources:
/// <list type="bullet">
/// <item>Client URL <c>/client/hubs/{hub}?access_token=</c>; the token is an HS256 JWT keyed with the UTF-8 bytes of
/// an access key, <c>aud</c> = <c>https://host/client/hubs/{hub}</c> (azure-web-pubsub howto-generate-client-access-url;
/// the .NET SDK's WebPubSubServiceClient_helpers / JwtBuilder).</item>
/// <item>Before the first event, the abuse-protection handshake: <c>OPTIONS</c> with <c>WebHook-Request-Origin</c> =
/// the service host; events are delivered only after a 200 whose <c>WebHook-Allowed-Origin</c> is that host or
/// <c>*</c> (howto-develop-eventhandler.md, CloudEvents HTTP webhook validation).</item>
/// <item>The <c>connect</c> event is blocking and runs before the upgrade; a 4xx reply fails the handshake
/// (reference-cloud-events.md, "connect").</item>
/// <item>Each client frame becomes one <c>message</c> event, in order per connection; text frames as
/// <c>text/plain</c>, binary frames as <c>application/octet-stream</c>. A 200 reply body goes back to that client,
/// as a binary frame when the reply is <c>application/octet-stream</c>; any non-2xx reply drops the connection
/// (reference-cloud-events.md, "message").</item>
/// <item><c>ce-connectionState</c> returned on a reply is stored and echoed on later events of the connection
/// (reference-cloud-events.md, connection state).</item>
/// <item><c>disconnected</c> is always sent after a successful connect, as soon as the socket ends — it may arrive
/// before the reply to the connection's last <c>message</c> (reference-cloud-events.md: the event is not blocking
/// and nothing orders it after pending messages).</item>
/// <item>Access-key mode: <c>ce-signature</c> is <c>sha256=</c> hex HMAC-SHA256(key, connectionId), one per key,
/// comma separated (howto-develop-eventhandler.md; SDK RequestValidator). Entra mode: no signature, an
/// <c>Authorization: Bearer</c> token of the service's managed identity for the hub's configured resource
/// (howto-use-managed-identity.md).</item>
/// <item>REST (api-version 2024-12-01): <c>POST …/connections/{id}/:send</c> → 202 (a binary frame for
/// <c>application/octet-stream</c>), <c>DELETE …/connections/{id}</c> → 204, <c>HEAD …/connections/{id}</c> →
/// 200/404, <c>POST …/:generateToken</c> → 200 <c>{"token"}</c>; authorised by an HS256 JWT whose <c>aud</c> is the
/// full request URL (SDK WebPubSubAuthenticationPolicy) or, in Entra mode, only by an Entra token for
/// <c>https://webpubsub.azure.com</c>. Unknown connection on send: 404 here (the service's answer is not documented).</item>
/// </list>
/// </summary>
public sealed class WebPubSubStandIn : IAsyncDisposable
{
    /// <summary>The resource the data-plane REST API accepts Entra tokens for.</summary>
    public const string DataPlaneResource = "https://webpubsub.azure.com";

    private readonly WebApplication _app;
    private readonly WebPubSubStandInOptions _options;
    private readonly FakeEntraAuthority _entra;
    private readonly ConcurrentDictionary<string, ClientConnection> _connections = new(StringComparer.Ordinal);
    private readonly HttpClient _upstream = new();
    private readonly SemaphoreSlim _handshakeLock = new(1, 1);
    private readonly ILogger _logger;
    private bool _upstreamValidated;
    private int _restSends;
    private int _restCalls;
    private int _handshakes;

    private WebPubSubStandIn(WebApplication app, WebPubSubStandInOptions options, FakeEntraAuthority entra)
    {
        _app = app;
        _options = options;
        _entra = entra;
        Hub = options.Hub;
        AccessKey = options.AccessKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        SecondaryKey = options.SecondaryKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        IdentityHeader = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        UpstreamUrl = options.UpstreamUrl;
        RestLatency = options.RestLatency;
        ServiceClientId = options.ServiceClientId;
        _logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WebPubSubStandIn");
    }

    /// <summary>The hub served.</summary>
    public string Hub { get; }

    /// <summary>The primary access key.</summary>
    public string AccessKey { get; }

    /// <summary>The secondary access key.</summary>
    public string SecondaryKey { get; }

    /// <summary>Whether the stand-in runs with local auth disabled (Entra tokens only).</summary>
    public bool Entra => _options.Entra;

    /// <summary>The service endpoint (<c>http://127.0.0.1:port</c>).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Where upstream events are posted (the runtime's <c>/api/webpubsub</c>).</summary>
    public Uri? UpstreamUrl { get; set; }

    /// <summary>Added before every REST answer.</summary>
    public TimeSpan RestLatency { get; set; }

    /// <summary>In Entra mode, the client id (<c>azp</c>) of the identity upstream tokens are issued to.</summary>
    public string ServiceClientId { get; set; }

    /// <summary>Signs upstream events with this key instead of the real ones (to test signature checks).</summary>
    public string? SigningKeyOverride { get; set; }

    /// <summary>Names this origin in the abuse-protection handshake instead of the service host (to test the check).</summary>
    public string? OriginOverride { get; set; }

    /// <summary>The token authority (Entra mode's issuer; the app's <c>UpstreamAuthority</c>).</summary>
    public Uri Authority => _entra.Authority;

    /// <summary>The App Service managed-identity endpoint (<c>IDENTITY_ENDPOINT</c>) the app gets its REST tokens from.</summary>
    public Uri IdentityEndpoint => new(Endpoint, "msi/token");

    /// <summary>The secret the managed-identity endpoint expects in <c>X-IDENTITY-HEADER</c> (<c>IDENTITY_HEADER</c>).</summary>
    public string IdentityHeader { get; }

    /// <summary>Number of REST sends accepted.</summary>
    public int RestSends => Volatile.Read(ref _restSends);

    /// <summary>Number of authorised REST calls of any kind (send, close, exists, generate token).</summary>
    public int RestCalls => Volatile.Read(ref _restCalls);

    /// <summary>Why the last refused REST call was refused (diagnostics).</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Number of abuse-protection handshakes sent upstream.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    /// <summary>Open client connection ids.</summary>
    public IReadOnlyCollection<string> ConnectionIds => _connections.Keys.ToList();

    /// <summary>Starts the stand-in on a free loopback port.</summary>
    public static Task<WebPubSubStandIn> StartAsync(string hub = "arcp", string? accessKey = null) =>
        StartAsync(new WebPubSubStandInOptions { Hub = hub, AccessKey = accessKey });

    /// <summary>Starts the stand-in.</summary>
    public static async Task<WebPubSubStandIn> StartAsync(WebPubSubStandInOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.ClearProviders();
        if (options.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        var app = builder.Build();
        var entra = FakeEntraAuthority.Map(app, "/entra");
        var standIn = new WebPubSubStandIn(app, options, entra);
        app.UseWebSockets();
        app.Map("/client/hubs/{hub}", standIn.ClientAsync);
        app.MapPost("/api/hubs/{hub}/connections/{connectionId}/:send", standIn.SendAsync);
        app.MapDelete("/api/hubs/{hub}/connections/{connectionId}", standIn.CloseAsync);
        app.MapMethods("/api/hubs/{hub}/connections/{connectionId}", ["HEAD"], standIn.ExistsAsync);
        app.MapPost("/api/hubs/{hub}/:generateToken", standIn.GenerateTokenAsync);
        app.MapGet("/msi/token", standIn.ManagedIdentityTokenAsync);
        app.MapFallback(context =>
        {
            standIn.LastRefusal = $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}: no such route";
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.Endpoint = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        entra.SetAuthority(new Uri(standIn.Endpoint, "entra/"));
        return standIn;
    }

    /// <summary>The settings a host needs to use this stand-in (<c>--Key=Value</c>), for the current auth mode.</summary>
    public IReadOnlyList<string> HostSettings()
    {
        var settings = new List<string>
        {
            $"--Arcp:WebPubSub:Endpoint={Endpoint.AbsoluteUri.TrimEnd('/')}",
            $"--Arcp:WebPubSub:Hub={Hub}",
        };
        if (Entra)
        {
            settings.Add($"--Arcp:WebPubSub:UpstreamAudience={_options.UpstreamAudience}");
            settings.Add($"--Arcp:WebPubSub:UpstreamAuthority={Authority.AbsoluteUri.TrimEnd('/')}");
            settings.Add($"--Arcp:WebPubSub:UpstreamClientIds={_options.ServiceClientId}");
        }
        else
        {
            settings.Add($"--Arcp:WebPubSub:AccessKeys={AccessKey};{SecondaryKey}");
        }

        return settings;
    }

    /// <summary>
    /// The environment a host needs in Entra mode: the App Service managed-identity variables
    /// <c>DefaultAzureCredential</c> reads, pointing at this stand-in. Empty in access-key mode.
    /// </summary>
    public IReadOnlyDictionary<string, string> HostEnvironment() => !Entra
        ? new Dictionary<string, string>()
        : new Dictionary<string, string>
        {
            ["IDENTITY_ENDPOINT"] = IdentityEndpoint.AbsoluteUri,
            ["IDENTITY_HEADER"] = IdentityHeader,
        };

    /// <summary>Mints a client token like the service's SDK (tests that skip negotiate).</summary>
    public string CreateClientToken(string? userId, TimeSpan? lifetime = null, string? key = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Audience = ClientAudience(),
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
    private string ClientAudience() => new Uri(new UriBuilder(Endpoint) { Path = "/" }.Uri, $"client/hubs/{Hub}").AbsoluteUri;

    private async Task ClientAsync(HttpContext context)
    {
        var userId = ValidateKeyToken(context.Request.Query["access_token"].FirstOrDefault(), ClientAudience());
        if (userId is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (!await EnsureUpstreamValidatedAsync())
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        var connectionId = Guid.NewGuid().ToString("N");
        using (var connect = await PostEventAsync("azure.webpubsub.sys.connect", "connect", connectionId, userId.Length == 0 ? null : userId, null, "{\"claims\":{},\"query\":{},\"headers\":{},\"subprotocols\":[]}"u8.ToArray(), "application/json"))
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
        (await PostEventAsync("azure.webpubsub.sys.connected", "connected", connectionId, userId, null, "{}"u8.ToArray(), "application/json")).Dispose();
        var messages = Channel.CreateUnbounded<(byte[] Body, bool Binary)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var pump = Task.Run(() => PumpMessagesAsync(connectionId, connection, messages.Reader));
        try
        {
            var buffer = new byte[1024 * 1024 + 1];
            while (socket.State == WebSocketState.Open && !connection.Closed)
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
                    connection.Reason = "";
                    await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "");
                    break;
                }

                messages.Writer.TryWrite((buffer.AsSpan(0, length).ToArray(), result.MessageType == WebSocketMessageType.Binary));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            connection.Reason ??= "connection lost";
        }
        finally
        {
            messages.Writer.TryComplete();
            _connections.TryRemove(connectionId, out _);

            // Not ordered after the pending message: the service sends it as soon as the socket ends.
            (await PostEventAsync("azure.webpubsub.sys.disconnected", "disconnected", connectionId, userId, connection.State, Encoding.UTF8.GetBytes($"{{\"reason\":\"{connection.Reason}\"}}"), "application/json")).Dispose();
            await pump;
        }
    }

    /// <summary>One blocking <c>message</c> event at a time per connection, in the order the frames arrived.</summary>
    private async Task PumpMessagesAsync(string connectionId, ClientConnection connection, ChannelReader<(byte[] Body, bool Binary)> messages)
    {
        await foreach (var (body, binary) in messages.ReadAllAsync())
        {
            try
            {
                using var reply = await PostEventAsync("azure.webpubsub.user.message", "message", connectionId, connection.UserId, connection.State, body, binary ? "application/octet-stream" : "text/plain");
                if (reply.Headers.TryGetValues("ce-connectionState", out var states))
                {
                    connection.State = states.First();
                }

                if (!reply.IsSuccessStatusCode)
                {
                    connection.Reason = $"upstream answered {(int)reply.StatusCode}";
                    connection.Closed = true;
                    await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, connection.Reason);
                    return;
                }

                var replyBody = await reply.Content.ReadAsByteArrayAsync();
                if ((int)reply.StatusCode == 200 && replyBody.Length > 0)
                {
                    await connection.SendAsync(replyBody, reply.Content.Headers.ContentType?.MediaType == "application/octet-stream");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or WebSocketException or IOException or OperationCanceledException)
            {
                LogUpstreamFailed(connectionId, ex);
                connection.Closed = true;
                connection.Socket.Abort();
                return;
            }
        }
    }

    private async Task<bool> EnsureUpstreamValidatedAsync()
    {
        if (Volatile.Read(ref _upstreamValidated))
        {
            return true;
        }

        await _handshakeLock.WaitAsync();
        try
        {
            if (_upstreamValidated)
            {
                return true;
            }

            var origin = OriginOverride ?? Endpoint.Host;
            using var request = new HttpRequestMessage(HttpMethod.Options, UpstreamUrl ?? throw new InvalidOperationException("UpstreamUrl is not set."));
            request.Headers.Add("WebHook-Request-Origin", origin);
            Interlocked.Increment(ref _handshakes);
            try
            {
                using var response = await _upstream.SendAsync(request);
                var allowed = response.Headers.TryGetValues("WebHook-Allowed-Origin", out var values) ? values.FirstOrDefault() : null;
                _upstreamValidated = response.IsSuccessStatusCode && (allowed == "*" || string.Equals(allowed, origin, StringComparison.OrdinalIgnoreCase));
            }
            catch (HttpRequestException ex)
            {
                LogUpstreamFailed("(handshake)", ex);
            }

            return _upstreamValidated;
        }
        finally
        {
            _handshakeLock.Release();
        }
    }

    private async Task SendAsync(HttpContext context, string connectionId)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        if (!_connections.TryGetValue(connectionId, out var connection))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        await connection.SendAsync(body.ToArray(), context.Request.ContentType?.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase) == true);
        Interlocked.Increment(ref _restSends);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task CloseAsync(HttpContext context, string connectionId)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        if (_connections.TryGetValue(connectionId, out var connection))
        {
            await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, context.Request.Query["reason"].FirstOrDefault() ?? "");
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task ExistsAsync(HttpContext context, string connectionId)
    {
        if (await AuthorizedAsync(context))
        {
            context.Response.StatusCode = _connections.ContainsKey(connectionId) ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
        }
    }

    private async Task GenerateTokenAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        var userId = context.Request.Query["userId"].FirstOrDefault();
        var minutes = int.TryParse(context.Request.Query["minutesToExpire"].FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) && m > 0 ? m : 60;
        await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["token"] = CreateClientToken(userId, TimeSpan.FromMinutes(minutes)) });
    }

    /// <summary>The App Service managed-identity protocol (api-version 2019-08-01): a token for <c>resource</c>.</summary>
    private async Task ManagedIdentityTokenAsync(HttpContext context)
    {
        var resource = context.Request.Query["resource"].FirstOrDefault();
        if (!Entra || !FixedTimeEquals(context.Request.Headers["X-IDENTITY-HEADER"].FirstOrDefault(), IdentityHeader) || string.IsNullOrEmpty(resource))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var lifetime = TimeSpan.FromMinutes(60);
        var token = _entra.CreateToken(resource.EndsWith("/.default", StringComparison.Ordinal) ? resource[..^"/.default".Length] : resource, clientId: _options.AppClientId, lifetime: lifetime);
        var expiresOn = DateTimeOffset.UtcNow.Add(lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
        {
            ["access_token"] = token,
            ["expires_on"] = expiresOn,
            ["resource"] = resource,
            ["token_type"] = "Bearer",
            ["client_id"] = _options.AppClientId,
        });
    }

    /// <summary>Waits the injected latency, then checks the REST call's bearer token; answers 401 itself when it fails.</summary>
    private async Task<bool> AuthorizedAsync(HttpContext context)
    {
        if (RestLatency > TimeSpan.Zero)
        {
            await Task.Delay(RestLatency);
        }

        var header = context.Request.Headers.Authorization.FirstOrDefault();
        var token = header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
        var authorized = token is not null && (Entra
            ? await _entra.ValidateAsync(token, DataPlaneResource) is not null

            // aud = the full request URL as the client addressed it.
            : ValidateKeyToken(token, $"{Endpoint.Scheme}://{Endpoint.Authority}{context.Request.Path}{context.Request.QueryString}") is not null);
        if (!authorized)
        {
            LastRefusal = $"{context.Request.Method} {context.Request.Path}: {(token is null ? "no bearer token" : "token not valid for this service")}";
            _logger.LogWarning("REST call refused: {Refusal}", LastRefusal);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return false;
        }

        Interlocked.Increment(ref _restCalls);
        return true;
    }

    /// <summary>The token's <c>sub</c> ("" when absent), or null when it is not valid under either access key.</summary>
    private string? ValidateKeyToken(string? token, string audience)
    {
        if (token is null)
        {
            return null;
        }

        var result = new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidAudience = audience,
            IssuerSigningKeys = [new SymmetricSecurityKey(Encoding.UTF8.GetBytes(AccessKey)), new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SecondaryKey))],
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        }).GetAwaiter().GetResult();
        return !result.IsValid ? null : result.Claims.TryGetValue("sub", out var sub) ? sub as string ?? "" : "";
    }

    private async Task<HttpResponseMessage> PostEventAsync(string type, string eventName, string connectionId, string? userId, string? state, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType) { CharSet = contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("json", StringComparison.Ordinal) ? "utf-8" : null };
        var request = new HttpRequestMessage(HttpMethod.Post, UpstreamUrl ?? throw new InvalidOperationException("UpstreamUrl is not set.")) { Content = content };
        request.Headers.Add("WebHook-Request-Origin", Endpoint.Host);
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-type", type);
        request.Headers.Add("ce-source", $"/hubs/{Hub}/client/{connectionId}");
        request.Headers.Add("ce-id", Guid.NewGuid().ToString("N"));
        request.Headers.Add("ce-time", DateTime.UtcNow.ToString("O"));
        request.Headers.Add("ce-hub", Hub);
        request.Headers.Add("ce-connectionId", connectionId);
        request.Headers.Add("ce-eventName", eventName);
        if (Entra)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _entra.CreateToken(_options.UpstreamAudience, clientId: ServiceClientId));
        }
        else
        {
            string[] keys = SigningKeyOverride is { } forged ? [forged] : [AccessKey, SecondaryKey];
            request.Headers.Add("ce-signature", string.Join(',', keys.Select(key => "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(connectionId))))));
        }

        if (!string.IsNullOrEmpty(userId))
        {
            request.Headers.Add("ce-userId", userId);
        }

        if (state is not null)
        {
            request.Headers.Add("ce-connectionState", state);
        }

        using (request)
        {
            return await _upstream.SendAsync(request);
        }
    }

    private static bool FixedTimeEquals(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private void LogUpstreamFailed(string connectionId, Exception exception) =>
        _logger.LogWarning(exception, "Upstream call for {ConnectionId} failed", connectionId);

    /// <summary>Completes when the process is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Socket.Abort();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        await _entra.DisposeAsync();
        _upstream.Dispose();
        _handshakeLock.Dispose();
    }

    private sealed class ClientConnection(WebSocket socket, string userId)
    {
        private readonly SemaphoreSlim _sendLock = new(1, 1);

        public WebSocket Socket { get; } = socket;

        public string UserId { get; } = userId;

        public string? State { get; set; }

        public string? Reason { get; set; }

        public bool Closed { get; set; }

        public async Task SendAsync(byte[] frame, bool binary)
        {
            await _sendLock.WaitAsync();
            try
            {
                if (Socket.State == WebSocketState.Open)
                {
                    await Socket.SendAsync(frame, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
            {
                // The client is gone; the read loop reports it.
            }
            finally
            {
                _sendLock.Release();
            }
        }

        public async Task CloseAsync(WebSocketCloseStatus status, string reason)
        {
            await _sendLock.WaitAsync();
            try
            {
                if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(status, reason, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
            {
                // Already gone.
            }
            finally
            {
                _sendLock.Release();
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Arcp.Testing.WebPubSub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Arcp.Host.Tests.WebPubSub;

/// <summary>
/// The stand-in itself behaves like the service where the runtime depends on it, checked against a recording upstream
/// (no runtime involved): the handshake comes first, both keys sign, binary frames stay binary, and
/// <c>disconnected</c> is not held back by a pending <c>message</c>.
/// </summary>
public sealed class WebPubSubStandInTests : IAsyncLifetime
{
    private readonly RecordingUpstream _upstream = new();
    private WebPubSubStandIn _service = null!;

    public async Task InitializeAsync()
    {
        await _upstream.StartAsync();
        _service = await WebPubSubStandIn.StartAsync();
        _service.UpstreamUrl = _upstream.Url;
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Handshake_SentOnceBeforeTheFirstEvent_WithTheServiceHostAsOrigin()
    {
        using var first = await ConnectAsync();
        using var second = await ConnectAsync();

        Assert.Equal("OPTIONS " + _service.Endpoint.Host, _upstream.Events.First());
        Assert.Single(_upstream.Events, e => e.StartsWith("OPTIONS", StringComparison.Ordinal));
        Assert.Equal(2, _upstream.Events.Count(e => e == "connect"));
    }

    [Fact]
    public async Task Handshake_Refused_NoEventDeliveredAndConnectFails()
    {
        _upstream.AllowOrigin = false;

        await Assert.ThrowsAnyAsync<WebSocketException>(ConnectAsync);

        Assert.All(_upstream.Events, e => Assert.StartsWith("OPTIONS", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signature_OnePerKey()
    {
        using var socket = await ConnectAsync();

        var (connectionId, header) = _upstream.Signatures.First();
        string[] expected =
        [
            "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_service.AccessKey), Encoding.UTF8.GetBytes(connectionId))),
            "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_service.SecondaryKey), Encoding.UTF8.GetBytes(connectionId))),
        ];
        Assert.Equal(expected, header.Split(','));
    }

    [Fact]
    public async Task BinaryFrame_PostedAsOctetStream_BinaryReplyStaysBinary()
    {
        using var socket = await ConnectAsync();
        byte[] payload = [0, 1, 2, 250, 255];

        await socket.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None);
        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await socket.ReceiveAsync(buffer, timeout.Token);

        Assert.Contains("message application/octet-stream", _upstream.Events);
        Assert.Equal(WebSocketMessageType.Binary, received.MessageType);
        Assert.Equal(payload, buffer[..received.Count]);
    }

    [Fact]
    public async Task Disconnected_WhileTheLastMessageIsPending_SentWithoutWaitingForTheReply()
    {
        using var socket = await ConnectAsync();
        _upstream.HoldMessages = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await socket.SendAsync("last"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        await Eventually.WaitUntilAsync(() => _upstream.Events.Contains("message text/plain"));
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await Eventually.WaitUntilAsync(() => _upstream.Events.Contains("disconnected"));
        var pendingWhenDisconnected = _upstream.MessagesPending;
        _upstream.HoldMessages.SetResult();

        Assert.Equal(1, pendingWhenDisconnected);
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(_service.Endpoint) { Scheme = "ws", Path = $"/client/hubs/{_service.Hub}", Query = "access_token=" + _service.CreateClientToken("alice") }.Uri;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An event handler that records what it receives: the handshake origin, event names and content types, signatures.</summary>
    private sealed class RecordingUpstream : IAsyncDisposable
    {
        private WebApplication _app = null!;
        private int _messagesPending;

        public Uri Url { get; private set; } = null!;

        public ConcurrentQueue<string> Events { get; } = new();

        public ConcurrentQueue<(string ConnectionId, string Signature)> Signatures { get; } = new();

        public bool AllowOrigin { get; set; } = true;

        public TaskCompletionSource? HoldMessages { get; set; }

        public int MessagesPending => Volatile.Read(ref _messagesPending);

        public async Task StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            _app = builder.Build();
            _app.MapMethods("/api/webpubsub", ["OPTIONS", "POST"], HandleAsync);
            await _app.StartAsync();
            Url = new Uri(new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/api/webpubsub");
        }

        private async Task HandleAsync(HttpContext context)
        {
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                var origin = context.Request.Headers["WebHook-Request-Origin"].ToString();
                Events.Enqueue("OPTIONS " + origin);
                if (AllowOrigin)
                {
                    context.Response.Headers["WebHook-Allowed-Origin"] = origin;
                }

                context.Response.StatusCode = AllowOrigin ? 200 : 403;
                return;
            }

            var eventName = context.Request.Headers["ce-eventName"].ToString();
            Signatures.Enqueue((context.Request.Headers["ce-connectionId"].ToString(), context.Request.Headers["ce-signature"].ToString()));
            if (eventName != "message")
            {
                Events.Enqueue(eventName);
                context.Response.StatusCode = 204;
                return;
            }

            var mediaType = context.Request.ContentType?.Split(';')[0];
            Interlocked.Increment(ref _messagesPending);
            Events.Enqueue("message " + mediaType);
            try
            {
                if (HoldMessages is { } hold)
                {
                    await hold.Task;
                }

                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                context.Response.StatusCode = 200;
                context.Response.ContentType = mediaType;
                await context.Response.Body.WriteAsync(body.ToArray());
            }
            finally
            {
                Interlocked.Decrement(ref _messagesPending);
            }
        }

        public async ValueTask DisposeAsync()
        {
            HoldMessages?.TrySetResult();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

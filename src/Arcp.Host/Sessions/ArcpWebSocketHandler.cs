using System.Buffers;
using System.Net.WebSockets;
using Arcp.Protocol.Errors;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Sessions;

namespace Arcp.Host.Sessions;

/// <summary>
/// Serves one ARCP connection on <c>/arcp</c>: one JSON envelope per text frame in, control replies and the
/// session's outbox out. However the connection ends — close, drop, heartbeat loss, host shutdown — the session is
/// only detached; jobs are never touched.
/// </summary>
internal sealed partial class ArcpWebSocketHandler(
    SessionService sessions,
    SessionDelivery delivery,
    HeartbeatMonitor heartbeats,
    IHostApplicationLifetime lifetime,
    ILogger<ArcpWebSocketHandler> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await using var output = new WebSocketSessionOutput(socket);
        var connection = sessions.Open(context.TraceIdentifier + ":" + Guid.NewGuid().ToString("N")[..8], output, TransportSecurity.IsSecure(context));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var deliveryTask = delivery.RunAsync(connection, stop.Token);
        var heartbeatTask = heartbeats.RunAsync(connection, stop.Token);
        try
        {
            await ReceiveAsync(socket, connection, output, stop.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            LogDropped(logger, connection.SessionId);
        }
        finally
        {
            // Detach with a token of its own: the request token is already cancelled when the peer vanished.
            using var detachTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await sessions.DetachAsync(connection, detachTimeout.Token);
            await stop.CancelAsync();
            await Task.WhenAll(deliveryTask, heartbeatTask);
            if (lifetime.ApplicationStopping.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                await output.CloseAsync("server shutting down", CancellationToken.None);
            }
            else if (socket.State != WebSocketState.Open)
            {
                output.Abort();
            }
            else
            {
                await output.CloseAsync("closed", CancellationToken.None);
            }

            await output.Completion;
        }
    }

    private async Task ReceiveAsync(WebSocket socket, SessionConnection connection, WebSocketSessionOutput output, CancellationToken cancellationToken)
    {
        var limit = sessions.Options.MaxFrameBytes;
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (socket.State == WebSocketState.Open && !connection.IsClosing && !output.Completion.IsCompleted)
        {
            buffer.ResetWrittenCount();
            var oversize = false;
            ValueWebSocketReceiveResult result;
            do
            {
                var memory = buffer.GetMemory(16 * 1024);
                result = await socket.ReceiveAsync(memory, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (buffer.WrittenCount + result.Count > limit)
                {
                    // Keep reading to the end of the frame, but do not keep it: the connection stays usable.
                    oversize = true;
                    buffer.ResetWrittenCount();
                }
                else
                {
                    buffer.Advance(result.Count);
                }
            }
            while (!result.EndOfMessage);

            if (oversize)
            {
                await sessions.SendErrorAsync(connection, ProtocolError.WithDetails(ErrorCode.InvalidRequest, $"Frame larger than {limit} bytes.", ("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture))), cancellationToken);
                continue;
            }

            if (result.MessageType != WebSocketMessageType.Text)
            {
                await sessions.SendErrorAsync(connection, new ProtocolError(ErrorCode.InvalidRequest, "ARCP frames are text frames with one JSON envelope each."), cancellationToken);
                continue;
            }

            await sessions.HandleFrameAsync(connection, buffer.WrittenMemory, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Connection of session {SessionId} dropped")]
    private static partial void LogDropped(ILogger logger, string sessionId);
}

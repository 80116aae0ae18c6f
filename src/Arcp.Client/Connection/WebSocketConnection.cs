using System.Buffers;
using System.Net.WebSockets;

namespace Arcp.Client.Connection;

/// <summary>One WebSocket: text frames with one JSON envelope each, one sender at a time, one reader.</summary>
internal sealed class WebSocketConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly int _maxFrameBytes;

    private WebSocketConnection(ClientWebSocket socket, int maxFrameBytes)
    {
        _socket = socket;
        _maxFrameBytes = maxFrameBytes;
    }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public static async Task<WebSocketConnection> ConnectAsync(Uri uri, int maxFrameBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(uri, limit.Token).ConfigureAwait(false);
            return new WebSocketConnection(socket, maxFrameBytes);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>Reads the next text frame; null when the peer closed the connection.</summary>
    /// <exception cref="InvalidDataException">The frame is larger than the limit or not a text frame.</exception>
    public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > _maxFrameBytes)
            {
                throw new InvalidDataException($"Inbound frame exceeds {_maxFrameBytes} bytes.");
            }

            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Text
                    ? buffer.WrittenMemory
                    : throw new InvalidDataException("ARCP frames are text frames.");
            }
        }
    }

    public void Abort() => _socket.Abort();

    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing is best effort.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        _sendGate.Dispose();
        return ValueTask.CompletedTask;
    }
}

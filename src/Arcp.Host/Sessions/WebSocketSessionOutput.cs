using System.Net.WebSockets;
using System.Threading.Channels;
using Arcp.Runtime.Sessions;

namespace Arcp.Host.Sessions;

/// <summary>
/// The outbound side of one WebSocket: a bounded queue drained by one writer, so a slow client makes only its own
/// senders wait (its delivery loop and handlers), never other sessions or job workers.
/// </summary>
internal sealed class WebSocketSessionOutput : ISessionOutput, IAsyncDisposable
{
    private const int QueueCapacity = 1024;
    private readonly WebSocket _socket;
    private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _writer;
    private string? _closeReason;

    public WebSocketSessionOutput(WebSocket socket)
    {
        _socket = socket;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Completes when the writer stopped (socket closed or broken).</summary>
    public Task Completion => _writer;

    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The connection is going away; whatever was not sent stays in the outbox for a resume.
        }
    }

    public ValueTask CloseAsync(string reason, CancellationToken cancellationToken)
    {
        _closeReason ??= reason;
        _queue.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops at once (the peer is gone).</summary>
    public void Abort()
    {
        _queue.Writer.TryComplete();
        _abort.Cancel();
    }

    private async Task WriteAsync()
    {
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync(_abort.Token).ConfigureAwait(false))
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _abort.Token).ConfigureAwait(false);
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, Truncate(_closeReason ?? "closed"), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away; the session is detached by the connection handler.
        }
    }

    // A close reason is limited to 123 bytes by RFC 6455.
    private static string Truncate(string reason) => reason.Length <= 120 ? reason : reason[..120];

    public async ValueTask DisposeAsync()
    {
        Abort();
        await _writer.ConfigureAwait(false);
        _abort.Dispose();
    }
}

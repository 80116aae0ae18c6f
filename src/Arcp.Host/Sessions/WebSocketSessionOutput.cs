using System.Net.WebSockets;
using System.Threading.Channels;
using Arcp.Runtime.Sessions;

namespace Arcp.Host.Sessions;

/// <summary>
/// The outbound side of one WebSocket: a queue drained by one writer, bounded by the bytes it holds, so a slow client
/// makes only its own senders wait (its delivery loop and handlers), never other sessions or job workers, and costs
/// at most <see cref="MaxQueuedBytes"/> (plus one frame) of memory however large its frames are.
/// </summary>
internal sealed class WebSocketSessionOutput : ISessionOutput, IAsyncDisposable
{
    /// <summary>Bytes queued for one connection before its senders wait; a single larger frame still passes alone.</summary>
    internal const long MaxQueuedBytes = 4 * 1024 * 1024;

    private readonly WebSocket _socket;
    private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _writer;
    private long _queuedBytes;
    private TaskCompletionSource _drained = NewSignal();
    private volatile bool _stopped;
    private string? _closeReason;

    public WebSocketSessionOutput(WebSocket socket)
    {
        _socket = socket;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Completes when the writer stopped (socket closed or broken).</summary>
    public Task Completion => _writer;

    /// <summary>Bytes waiting to be written right now.</summary>
    internal long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the signal before checking, so a drain between the check and the wait still wakes us.
            var drained = Volatile.Read(ref _drained).Task;
            var queued = QueuedBytes;
            if (_stopped || queued == 0 || queued + frame.Length <= MaxQueuedBytes)
            {
                break;
            }

            await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_stopped)
        {
            // The connection is going away; whatever was not sent stays in the outbox for a resume.
            return;
        }

        Interlocked.Add(ref _queuedBytes, frame.Length);
        if (!_queue.Writer.TryWrite(frame))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
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
                Interlocked.Add(ref _queuedBytes, -frame.Length);
                Interlocked.Exchange(ref _drained, NewSignal()).TrySetResult();
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
        finally
        {
            // Release every waiting sender and let go of whatever was still queued.
            _stopped = true;
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out _))
            {
            }

            Interlocked.Exchange(ref _queuedBytes, 0);
            Volatile.Read(ref _drained).TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // A close reason is limited to 123 bytes by RFC 6455.
    private static string Truncate(string reason) => reason.Length <= 120 ? reason : reason[..120];

    public async ValueTask DisposeAsync()
    {
        Abort();
        await _writer.ConfigureAwait(false);
        _abort.Dispose();
    }
}

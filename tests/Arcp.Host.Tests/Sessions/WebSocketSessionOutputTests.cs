using System.Net.WebSockets;
using Arcp.Host.Sessions;

namespace Arcp.Host.Tests.Sessions;

public sealed class WebSocketSessionOutputTests
{
    [Fact]
    public async Task SendAsync_ReaderStalled_QueueBoundedByBytesAndSendersWait()
    {
        // Arrange: a peer that reads nothing, so nothing the server writes ever leaves.
        var stream = new StalledStream();
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true });
        await using var output = new WebSocketSessionOutput(socket);
        var frame = new byte[1024 * 1024];

        // Act: twenty 1 MiB frames (the old queue took 1,024 of them, up to 1 GiB per slow reader).
        var sends = Enumerable.Range(0, 20).Select(_ => output.SendAsync(frame, CancellationToken.None).AsTask()).ToList();
        await Task.Delay(500);

        // Assert: only what fits the byte budget is queued (plus the frame stuck in the socket); the rest wait.
        Assert.True(output.QueuedBytes <= WebSocketSessionOutput.MaxQueuedBytes + frame.Length, $"{output.QueuedBytes} bytes queued");
        Assert.InRange(sends.Count(t => t.IsCompleted), 1, (int)(WebSocketSessionOutput.MaxQueuedBytes / frame.Length) + 1);

        // Once the peer reads again, every waiting sender goes through.
        stream.Release();
        await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.WaitUntilAsync(() => output.QueuedBytes == 0, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task SendAsync_SocketGoneWhileSendersWait_SendersReleased()
    {
        var stream = new StalledStream();
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true });
        var output = new WebSocketSessionOutput(socket);
        var frame = new byte[1024 * 1024];
        var sends = Enumerable.Range(0, 10).Select(_ => output.SendAsync(frame, CancellationToken.None).AsTask()).ToList();

        await output.DisposeAsync();

        await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, output.QueuedBytes);
    }

    /// <summary>A transport whose writes hang until released, as a client that stopped reading.</summary>
    private sealed class StalledStream : Stream
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            await _released.Task.WaitAsync(cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using Arcp.Runtime.Sessions;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// Collects what a message handler sends, with the ordering the session layer gave each frame, so the upstream reply
/// decides how it leaves (the reply body, or REST under the delivery lease).
/// </summary>
internal sealed class BufferedSessionOutput : ISessionOutput
{
    private readonly List<(byte[] Frame, FrameOrdering Ordering)> _frames = [];

    public IReadOnlyList<(byte[] Frame, FrameOrdering Ordering)> Frames => _frames;

    /// <summary>True when some frame must reach the client in order with the session's events.</summary>
    public bool HasOrdered
    {
        get
        {
            lock (_frames)
            {
                return _frames.Exists(f => f.Ordering == FrameOrdering.WithEvents);
            }
        }
    }

    public string? CloseReason { get; private set; }

    public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        SendControlAsync(frame, FrameOrdering.WithEvents, cancellationToken);

    public ValueTask SendControlAsync(ReadOnlyMemory<byte> frame, FrameOrdering ordering, CancellationToken cancellationToken)
    {
        lock (_frames)
        {
            _frames.Add((frame.ToArray(), ordering));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask CloseAsync(string reason, CancellationToken cancellationToken)
    {
        CloseReason ??= reason;
        return ValueTask.CompletedTask;
    }
}

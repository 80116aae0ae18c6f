using Arcp.Runtime.Sessions;

namespace Arcp.Azure.WebPubSub;

/// <summary>Collects what a message handler sends, so the upstream reply decides how it leaves (reply body or REST).</summary>
internal sealed class BufferedSessionOutput : ISessionOutput
{
    private readonly List<byte[]> _frames = [];

    public IReadOnlyList<byte[]> Frames => _frames;

    public string? CloseReason { get; private set; }

    public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        lock (_frames)
        {
            _frames.Add(frame.ToArray());
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask CloseAsync(string reason, CancellationToken cancellationToken)
    {
        CloseReason ??= reason;
        return ValueTask.CompletedTask;
    }
}

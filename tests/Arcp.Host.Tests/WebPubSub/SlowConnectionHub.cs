using System.Collections.Concurrent;
using Arcp.Runtime.Delivery;

namespace Arcp.Host.Tests.WebPubSub;

/// <summary>
/// The host's real Web PubSub REST client with latency added to event frames (those carrying <c>event_seq</c>), as a
/// slow or distant service would; counts the event frames each connection was sent.
/// </summary>
internal sealed class SlowConnectionHub : IConnectionHub
{
    private readonly ConcurrentDictionary<string, int> _eventSends = new(StringComparer.Ordinal);
    private IConnectionHub? _inner;
    private int _inFlight;

    /// <summary>Added before each event frame's REST send.</summary>
    public TimeSpan EventLatency { get; set; }

    /// <summary>Event frames waiting out their latency right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Event frames the service accepted for <paramref name="connectionId"/>.</summary>
    public int EventSendsTo(string connectionId) => _eventSends.TryGetValue(connectionId, out var n) ? n : 0;

    public IConnectionHub Wrap(IConnectionHub inner)
    {
        _inner = inner;
        return this;
    }

    public async Task SendAsync(string connectionId, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        var isEvent = frame.Span.IndexOf("\"event_seq\""u8) >= 0;
        if (isEvent && EventLatency > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _inFlight);
            try
            {
                await Task.Delay(EventLatency, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        await _inner!.SendAsync(connectionId, frame, cancellationToken);
        if (isEvent)
        {
            _eventSends.AddOrUpdate(connectionId, 1, (_, n) => n + 1);
        }
    }

    public Task CloseAsync(string connectionId, string reason, CancellationToken cancellationToken) => _inner!.CloseAsync(connectionId, reason, cancellationToken);

    public Task<bool> ExistsAsync(string connectionId, CancellationToken cancellationToken) => _inner!.ExistsAsync(connectionId, cancellationToken);
}

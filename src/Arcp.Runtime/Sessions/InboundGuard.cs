namespace Arcp.Runtime.Sessions;

/// <summary>
/// The per-connection inbound limits (§14): a token bucket for the message rate and a window of recent ids for
/// replayed frames. It lives as long as the transport connection, which for a relayed transport outlives the
/// per-message connection state.
/// </summary>
public sealed class InboundGuard
{
    private readonly Queue<string> _recentIdsOrder = new();
    private readonly HashSet<string> _recentIds = new(StringComparer.Ordinal);
    private double _tokens = -1;
    private DateTimeOffset _tokensAt;

    /// <summary>When the guard was last used (a cache evicts idle guards by it).</summary>
    public DateTimeOffset LastUsedAt { get; private set; }

    /// <summary>Remembers an inbound id; false when it was seen recently (a replayed frame).</summary>
    internal bool TryRemember(string id, int window = 512)
    {
        lock (_recentIds)
        {
            if (!_recentIds.Add(id))
            {
                return false;
            }

            _recentIdsOrder.Enqueue(id);
            if (_recentIdsOrder.Count > window)
            {
                _recentIds.Remove(_recentIdsOrder.Dequeue());
            }

            return true;
        }
    }

    /// <summary>Token bucket: false when the connection exceeds its inbound rate.</summary>
    internal bool TryAdmit(DateTimeOffset now, int perSecond)
    {
        lock (_recentIds)
        {
            LastUsedAt = now;
            var capacity = perSecond * 2.0;
            _tokens = _tokens < 0 ? capacity : Math.Min(capacity, _tokens + ((now - _tokensAt).TotalSeconds * perSecond));
            _tokensAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}

using System.Collections.Concurrent;
using Arcp.Runtime.Sessions;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// The inbound rate cap and replay window of each Web PubSub connection, kept on this node across its messages (each
/// message is its own HTTP request). Node-local on purpose: checking them in storage would add a write to every
/// message. The caveat: when the service's upstream calls for one connection are spread over N nodes, each node
/// enforces its own bucket and window, so the rate bound is at most N times the setting and a replay is caught only
/// by the node that saw the original.
/// </summary>
public sealed class InboundGuards(TimeProvider timeProvider)
{
    private const int MaxEntries = 50_000;
    private static readonly TimeSpan s_idle = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, InboundGuard> _guards = new(StringComparer.Ordinal);

    /// <summary>The guard of a connection (created on first use).</summary>
    public InboundGuard For(string connectionId)
    {
        if (_guards.Count >= MaxEntries)
        {
            Evict();
        }

        return _guards.GetOrAdd(connectionId, _ => new InboundGuard());
    }

    /// <summary>Forgets a connection that went away.</summary>
    public void Remove(string connectionId) => _guards.TryRemove(connectionId, out _);

    private void Evict()
    {
        var cutoff = timeProvider.GetUtcNow() - s_idle;
        foreach (var (id, guard) in _guards)
        {
            if (guard.LastUsedAt < cutoff)
            {
                _guards.TryRemove(id, out _);
            }
        }

        if (_guards.Count >= MaxEntries)
        {
            _guards.Clear();
        }
    }
}

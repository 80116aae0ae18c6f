using System.Collections.Concurrent;

namespace Arcp.Runtime.Sessions;

/// <summary>Sessions connected to this node per principal, for the per-principal cap of §14 (a per-node bound).</summary>
public sealed class ConnectedSessions
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Counts one more session unless the principal is at <paramref name="limit"/>.</summary>
    public bool TryAdd(string principal, int limit)
    {
        while (true)
        {
            var current = _counts.GetOrAdd(principal, 0);
            if (current >= limit)
            {
                return false;
            }

            if (_counts.TryUpdate(principal, current + 1, current))
            {
                return true;
            }
        }
    }

    /// <summary>Counts one session less.</summary>
    public void Remove(string principal) => _counts.AddOrUpdate(principal, 0, (_, count) => Math.Max(0, count - 1));

    /// <summary>Sessions of <paramref name="principal"/> connected here.</summary>
    public int Count(string principal) => _counts.TryGetValue(principal, out var count) ? count : 0;
}

using System.Collections.Concurrent;

namespace Arcp.Runtime.Storage;

/// <summary>
/// What this node last wrote or read, kept to save a storage read. Bounded by emptying it when full: an entry only
/// ever saves a read (every write stays conditional on the stored version), so losing one costs just that read.
/// </summary>
internal sealed class NodeLocalCache<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new(comparer);

    /// <summary>The entry for <paramref name="key"/>, if any.</summary>
    public bool TryGet(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    /// <summary>Takes the entry for <paramref name="key"/> out, if any.</summary>
    public bool TryTake(TKey key, out TValue value) => _entries.TryRemove(key, out value!);

    /// <summary>Forgets the entry for <paramref name="key"/>.</summary>
    public void Remove(TKey key) => _entries.TryRemove(key, out _);

    /// <summary>Sets the entry for <paramref name="key"/>, emptying the cache first when it is full.</summary>
    public void Set(TKey key, TValue value)
    {
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }

        _entries[key] = value;
    }
}

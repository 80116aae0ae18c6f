using System.Collections.Concurrent;

namespace Arcp.Runtime.Delivery;

/// <summary><see cref="IOutboxSyncMarks"/> in process memory, for tests and throwaway runs.</summary>
internal sealed class InMemoryOutboxSyncMarks : IOutboxSyncMarks
{
    private readonly ConcurrentDictionary<OutboxSyncMark, long> _marks = new();
    private long _order;

    /// <inheritdoc />
    public Task MarkAsync(string sessionId, string jobId, CancellationToken cancellationToken)
    {
        _marks.TryAdd(new OutboxSyncMark(sessionId, jobId), Interlocked.Increment(ref _order));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ClearAsync(string sessionId, string jobId, CancellationToken cancellationToken)
    {
        _marks.TryRemove(new OutboxSyncMark(sessionId, jobId), out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxSyncMark>> ListAsync(int maxCount, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OutboxSyncMark>>(_marks.OrderBy(kv => kv.Value).Select(kv => kv.Key).Take(maxCount).ToList());
}

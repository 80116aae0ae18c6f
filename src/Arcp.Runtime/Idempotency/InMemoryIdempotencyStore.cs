using System.Collections.Concurrent;

namespace Arcp.Runtime.Idempotency;

/// <summary><see cref="IIdempotencyStore"/> in process memory, for fast tests.</summary>
internal sealed class InMemoryIdempotencyStore : IIdempotencyStore
{
    private readonly ConcurrentDictionary<(string Principal, string Key), IdempotencyRecord> _records = new();

    /// <inheritdoc />
    public Task<IdempotencyReservation> ReserveAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var winner = _records.GetOrAdd((record.Principal, record.Key), record);
        return Task.FromResult(new IdempotencyReservation(winner, ReferenceEquals(winner, record)));
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string principal, string key, string jobId, CancellationToken cancellationToken)
    {
        if (_records.TryGetValue((principal, key), out var record) && record.JobId == jobId)
        {
            _records.TryRemove(new KeyValuePair<(string, string), IdempotencyRecord>((principal, key), record));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> SweepAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var (key, record) in _records)
        {
            if (record.CreatedAt < cutoff && _records.TryRemove(key, out _))
            {
                removed++;
            }
        }

        return Task.FromResult(removed);
    }
}

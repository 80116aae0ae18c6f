using System.Collections.Concurrent;

namespace Arcp.Runtime.Jobs;

/// <summary><see cref="IPrincipalJobIndex"/> in process memory, for fast tests.</summary>
internal sealed class InMemoryPrincipalJobIndex : IPrincipalJobIndex
{
    private readonly ConcurrentDictionary<string, SortedList<string, JobIndexEntry>> _byPrincipal = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task AddAsync(JobIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var list = _byPrincipal.GetOrAdd(entry.Principal, _ => new SortedList<string, JobIndexEntry>(StringComparer.Ordinal));
        lock (list)
        {
            list.TryAdd(entry.JobId, entry);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<JobIndexEntry>> ListAsync(string principal, string? afterJobId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (!_byPrincipal.TryGetValue(principal, out var list))
        {
            return Task.FromResult<IReadOnlyList<JobIndexEntry>>([]);
        }

        lock (list)
        {
            IReadOnlyList<JobIndexEntry> page = list
                .Where(kv => afterJobId is null || string.CompareOrdinal(kv.Key, afterJobId) > 0)
                .Take(limit)
                .Select(kv => kv.Value)
                .ToList();
            return Task.FromResult(page);
        }
    }

    /// <inheritdoc />
    public Task RemoveAsync(string principal, string jobId, CancellationToken cancellationToken)
    {
        if (_byPrincipal.TryGetValue(principal, out var list))
        {
            lock (list)
            {
                list.Remove(jobId);
            }
        }

        return Task.CompletedTask;
    }
}

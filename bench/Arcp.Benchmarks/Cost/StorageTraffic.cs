using System.Collections.Concurrent;
using Arcp.Testing.Faults;

namespace Arcp.Benchmarks.Cost;

/// <summary>
/// Thread-safe running totals of classified storage transactions, fed by the proxy's observer; <see cref="Snapshot"/>
/// and <see cref="TrafficSnapshot.Since"/> give the traffic of one workload.
/// </summary>
internal sealed class StorageTraffic(StorageRequestClassifier classifier)
{
    private readonly ConcurrentDictionary<StorageOperation, long[]> _operations = new();
    private readonly ConcurrentDictionary<(StorageOwner Owner, string Table, string Partition), long[]> _partitions = new();

    public void Observe(ObservedStorageRequest request)
    {
        var operation = classifier.Classify(request);
        Add(_operations.GetOrAdd(operation with { Partition = null }, _ => new long[2]), operation.Entities);
        if (operation is { Write: true, Service: StorageService.Table, Partition: { } partition })
        {
            Add(_partitions.GetOrAdd((operation.Owner, operation.Resource, partition), _ => new long[2]), operation.Entities);
        }
    }

    public TrafficSnapshot Snapshot() => new(
        _operations.ToDictionary(p => p.Key, p => Read(p.Value)),
        _partitions.ToDictionary(p => p.Key, p => Read(p.Value)));

    private static void Add(long[] counts, int entities)
    {
        Interlocked.Increment(ref counts[0]);
        Interlocked.Add(ref counts[1], entities);
    }

    private static TrafficCount Read(long[] counts) => new(Interlocked.Read(ref counts[0]), Interlocked.Read(ref counts[1]));
}

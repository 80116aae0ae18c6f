namespace Arcp.Benchmarks.Cost;

/// <summary>Totals at one moment: by classified operation, and table writes by partition.</summary>
internal sealed record TrafficSnapshot(
    IReadOnlyDictionary<StorageOperation, TrafficCount> Operations,
    IReadOnlyDictionary<(StorageOwner Owner, string Table, string Partition), TrafficCount> Partitions)
{
    /// <summary>The traffic between <paramref name="earlier"/> and this snapshot.</summary>
    public TrafficSnapshot Since(TrafficSnapshot earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new(
            Operations.Select(p => (p.Key, Count: p.Value - earlier.Operations.GetValueOrDefault(p.Key))).Where(p => p.Count.Requests > 0).ToDictionary(p => p.Key, p => p.Count),
            Partitions.Select(p => (p.Key, Count: p.Value - earlier.Partitions.GetValueOrDefault(p.Key))).Where(p => p.Count.Requests > 0).ToDictionary(p => p.Key, p => p.Count));
    }

    /// <summary>Requests of one owner (optionally writes only).</summary>
    public long Requests(StorageOwner owner, bool writesOnly = false) =>
        Operations.Where(p => p.Key.Owner == owner && (!writesOnly || p.Key.Write)).Sum(p => p.Value.Requests);

    /// <summary>Requests of one owner on one service.</summary>
    public long Requests(StorageOwner owner, Arcp.Testing.Faults.StorageService service) =>
        Operations.Where(p => p.Key.Owner == owner && p.Key.Service == service).Sum(p => p.Value.Requests);

    /// <summary>The most written table partition of one owner: its name and count (requests, entities).</summary>
    public ((string Table, string Partition) Key, TrafficCount Count) HottestPartition(StorageOwner owner)
    {
        var hottest = Partitions.Where(p => p.Key.Owner == owner).OrderByDescending(p => p.Value.Requests).FirstOrDefault();
        return ((hottest.Key.Table ?? "-", hottest.Key.Partition ?? "-"), hottest.Value);
    }
}

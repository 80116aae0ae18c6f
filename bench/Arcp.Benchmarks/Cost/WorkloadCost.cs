namespace Arcp.Benchmarks.Cost;

/// <summary>
/// The storage and CPU bill of one workload, per unit (<see cref="Unit"/>: a job, 1,000 events, or a session).
/// Durable's requests include its queue polling during the workload: that is what the account is charged.
/// </summary>
internal sealed record WorkloadCost
{
    public required string Name { get; init; }

    public required string Unit { get; init; }

    /// <summary>Units measured (jobs, thousands of events, sessions).</summary>
    public required double Units { get; init; }

    public required double Seconds { get; init; }

    public double UnitsPerSecond => Units / Seconds;

    public required double ArcpRequests { get; init; }

    public required double ArcpWrites { get; init; }

    public required double ArcpTableRequests { get; init; }

    public required double ArcpBlobRequests { get; init; }

    public required double DurableRequests { get; init; }

    public required double DurableTableRequests { get; init; }

    public required double DurableQueueRequests { get; init; }

    public required double DurableBlobRequests { get; init; }

    public required double HostCpuSeconds { get; init; }

    public required double StorageCpuSeconds { get; init; }

    /// <summary>Per unit, by <see cref="StorageOperation.Key"/>.</summary>
    public required IReadOnlyDictionary<string, double> ByOperation { get; init; }

    /// <summary>Per unit: writes (requests, entities) to the most written partition of each of our tables.</summary>
    public required IReadOnlyDictionary<string, PartitionLoad> HottestPartitions { get; init; }

    public double StorageRequests => ArcpRequests + DurableRequests;

    /// <summary>
    /// This workload's own share: less what an idle node (<paramref name="idle"/>, per second) spends over the same
    /// wall time anyway — Durable's polling, lease renewals, our sweepers. Counts may come out slightly negative in noise.
    /// </summary>
    public WorkloadCost Less(WorkloadCost idle)
    {
        ArgumentNullException.ThrowIfNull(idle);
        var seconds = Seconds / Units;
        return this with
        {
            ArcpRequests = ArcpRequests - (idle.ArcpRequests * seconds),
            ArcpWrites = ArcpWrites - (idle.ArcpWrites * seconds),
            ArcpTableRequests = ArcpTableRequests - (idle.ArcpTableRequests * seconds),
            ArcpBlobRequests = ArcpBlobRequests - (idle.ArcpBlobRequests * seconds),
            DurableRequests = DurableRequests - (idle.DurableRequests * seconds),
            DurableTableRequests = DurableTableRequests - (idle.DurableTableRequests * seconds),
            DurableQueueRequests = DurableQueueRequests - (idle.DurableQueueRequests * seconds),
            DurableBlobRequests = DurableBlobRequests - (idle.DurableBlobRequests * seconds),
            HostCpuSeconds = HostCpuSeconds - (idle.HostCpuSeconds * seconds),
            StorageCpuSeconds = StorageCpuSeconds - (idle.StorageCpuSeconds * seconds),
            ByOperation = ByOperation.ToDictionary(p => p.Key, p => p.Value - (idle.ByOperation.GetValueOrDefault(p.Key) * seconds)),
        };
    }

    /// <summary>
    /// What <paramref name="longer"/> spent beyond <paramref name="shorter"/> — the same work held open longer — less
    /// the idle node's background over the extra wall time, per <paramref name="units"/> (e.g. job-seconds): the
    /// per-job costs cancel, what is left grows with time only.
    /// </summary>
    public static WorkloadCost Extra(WorkloadCost longer, WorkloadCost shorter, WorkloadCost idle, double units, string name, string unit)
    {
        ArgumentNullException.ThrowIfNull(longer);
        ArgumentNullException.ThrowIfNull(shorter);
        ArgumentNullException.ThrowIfNull(idle);
        var seconds = longer.Seconds - shorter.Seconds;
        double Per(Func<WorkloadCost, double> field) => ((field(longer) * longer.Units) - (field(shorter) * shorter.Units) - (field(idle) * seconds)) / units;
        return new WorkloadCost
        {
            Name = name,
            Unit = unit,
            Units = units,
            Seconds = seconds,
            ArcpRequests = Per(w => w.ArcpRequests),
            ArcpWrites = Per(w => w.ArcpWrites),
            ArcpTableRequests = Per(w => w.ArcpTableRequests),
            ArcpBlobRequests = Per(w => w.ArcpBlobRequests),
            DurableRequests = Per(w => w.DurableRequests),
            DurableTableRequests = Per(w => w.DurableTableRequests),
            DurableQueueRequests = Per(w => w.DurableQueueRequests),
            DurableBlobRequests = Per(w => w.DurableBlobRequests),
            HostCpuSeconds = Per(w => w.HostCpuSeconds),
            StorageCpuSeconds = Per(w => w.StorageCpuSeconds),
            ByOperation = longer.ByOperation.Keys.Union(shorter.ByOperation.Keys).ToDictionary(k => k, k => Per(w => w.ByOperation.GetValueOrDefault(k))),
            HottestPartitions = new Dictionary<string, PartitionLoad>(),
        };
    }

    /// <summary>A workload that cost nothing: a placeholder for a unit the model does not charge.</summary>
    public static WorkloadCost Free(string name, string unit, double units, double seconds) => new()
    {
        Name = name,
        Unit = unit,
        Units = units,
        Seconds = seconds,
        ArcpRequests = 0,
        ArcpWrites = 0,
        ArcpTableRequests = 0,
        ArcpBlobRequests = 0,
        DurableRequests = 0,
        DurableTableRequests = 0,
        DurableQueueRequests = 0,
        DurableBlobRequests = 0,
        HostCpuSeconds = 0,
        StorageCpuSeconds = 0,
        ByOperation = new Dictionary<string, double>(),
        HottestPartitions = new Dictionary<string, PartitionLoad>(),
    };
}

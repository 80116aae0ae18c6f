namespace Arcp.Benchmarks.Cost;

/// <summary>
/// Writes to one table's partitions in a workload: <see cref="Requests"/> and <see cref="Entities"/> of the most
/// written partition per unit of work (right when every unit shares it: one session, one principal), and
/// <see cref="EntitiesPerPartition"/>, the mean over the partitions written, not per unit (right when each unit has
/// its own partition: one job). The partition targets count entities.
/// </summary>
internal sealed record PartitionLoad(double Requests, double Entities, int PartitionsWritten, double EntitiesPerPartition);

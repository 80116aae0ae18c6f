namespace Arcp.Benchmarks.Capacity;

/// <summary>
/// One resource on the path of a job or an event: the load shape's use of it, its limit, and <see cref="Headroom"/>
/// — how many times the shape's load fits under the limit at the target utilisation (below 1: it does not fit).
/// <see cref="GrowsWithRate"/> is false for a resource each job or session has to itself (one job's partition): more
/// jobs per minute do not bring it closer to its limit, only a heavier job does.
/// </summary>
internal sealed record ResourceCeiling(string Resource, string Unit, double Usage, double Limit, double Headroom, string Remedy, bool GrowsWithRate = true);

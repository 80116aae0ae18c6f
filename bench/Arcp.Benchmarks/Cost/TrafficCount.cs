namespace Arcp.Benchmarks.Cost;

/// <summary>Requests (billed transactions) and the entities they wrote.</summary>
internal readonly record struct TrafficCount(long Requests, long Entities)
{
    public static TrafficCount operator +(TrafficCount a, TrafficCount b) => new(a.Requests + b.Requests, a.Entities + b.Entities);

    public static TrafficCount operator -(TrafficCount a, TrafficCount b) => new(a.Requests - b.Requests, a.Entities - b.Entities);
}

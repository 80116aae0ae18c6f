namespace Arcp.Benchmarks.Capacity;

/// <summary>The model's answer for one load shape: every resource's headroom, the first to bite, the instances and the bill.</summary>
internal sealed record CapacityEstimate(LoadShape Shape, IReadOnlyList<ResourceCeiling> Resources, double StorageRequestsPerSecond, double Instances, MonthlyCost Cost)
{
    /// <summary>The resource with the least headroom among those the rate grows into: the limit this shape meets first as jobs/min rise.</summary>
    public ResourceCeiling FirstLimit => Resources.Where(r => r.GrowsWithRate).MinBy(r => r.Headroom)!;
}

namespace Arcp.Benchmarks.Capacity;

/// <summary>A month (30 days) of one load shape, USD, by item.</summary>
internal sealed record MonthlyCost(double StorageTransactions, double Functions, double WebPubSub, double Telemetry)
{
    public double Total => StorageTransactions + Functions + WebPubSub + Telemetry;
}

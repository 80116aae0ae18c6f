namespace Arcp.Benchmarks.Capacity;

/// <summary>
/// List prices the monthly cost uses: pay-as-you-go, USD, one region (East US), as docs/capacity.md states with their
/// date. Assumptions, not quotes: check the Azure pricing pages before relying on them.
/// </summary>
internal sealed record Prices
{
    public const string AsOf = "2025 list prices, East US, as recalled; not re-checked";

    /// <summary>Table transactions (Standard LRS), per 10,000.</summary>
    public double TablePer10K { get; init; } = 0.00036;

    /// <summary>Queue operations (GPv2 LRS, class 1 and 2 alike), per 10,000.</summary>
    public double QueuePer10K { get; init; } = 0.004;

    /// <summary>Blob operations (hot LRS; leases and writes priced as writes), per 10,000.</summary>
    public double BlobPer10K { get; init; } = 0.055;

    /// <summary>Flex Consumption on-demand execution time, per GB-second.</summary>
    public double FlexPerGbSecond { get; init; } = 0.000026;

    /// <summary>Flex Consumption executions, per million.</summary>
    public double FlexPerMillionExecutions { get; init; } = 0.40;

    /// <summary>Flex free grant per month: GB-seconds and executions.</summary>
    public double FlexFreeGbSeconds { get; init; } = 100_000;

    public double FlexFreeExecutions { get; init; } = 250_000;

    /// <summary>Web PubSub Standard unit, per day.</summary>
    public double WebPubSubUnitPerDay { get; init; } = 1.61;

    /// <summary>Web PubSub messages included per unit per day; beyond them, price per million.</summary>
    public double WebPubSubIncludedMessagesPerUnitDay { get; init; } = 1_000_000;

    public double WebPubSubPerMillionMessages { get; init; } = 1.00;

    /// <summary>Log Analytics (Application Insights) ingestion per GB after the free 5 GB a month.</summary>
    public double TelemetryPerGb { get; init; } = 2.30;

    public double TelemetryFreeGb { get; init; } = 5;
}

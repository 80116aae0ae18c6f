namespace Arcp.Benchmarks.Capacity;

/// <summary>
/// The published limits the model divides by. Defaults are the documented values as docs/capacity.md cites them
/// (page titles there); values marked unverified in that document are assumptions and can be overridden here.
/// </summary>
internal sealed record AzureLimits
{
    /// <summary>"Scalability and performance targets for standard storage accounts": requests per second per account.</summary>
    public double StorageAccountRequestsPerSecond { get; init; } = 20_000;

    /// <summary>"Scalability and performance targets for Table storage": entities per second to one partition (1 KiB entities).</summary>
    public double TablePartitionEntitiesPerSecond { get; init; } = 2_000;

    /// <summary>"Scalability and performance targets for Queue Storage": messages per second through one queue (1 KiB).</summary>
    public double QueueMessagesPerSecond { get; init; } = 2_000;

    /// <summary>Durable Task control-queue partitions (<c>partitionCount</c>, 1–16; default 4).</summary>
    public int DurablePartitions { get; init; } = 4;

    /// <summary>Flex Consumption <c>maximumInstanceCount</c> (the template's default; the plan allows up to 1,000).</summary>
    public int MaximumInstances { get; init; } = 100;

    /// <summary>vCPUs of one 2,048 MB Flex instance (unverified: assumed 1).</summary>
    public double VcpuPerInstance { get; init; } = 1;

    /// <summary>Instance memory in GB (2,048 MB default of the template).</summary>
    public double InstanceMemoryGb { get; init; } = 2;

    /// <summary>Agent runs (activities) one instance runs at once (<c>Arcp:Durable:MaxConcurrentActivities</c>; the backend's default is 10 per processor).</summary>
    public double ActivitiesPerInstance { get; init; } = 10;

    /// <summary>Web PubSub units (Standard: 1–100).</summary>
    public int WebPubSubUnits { get; init; } = 1;

    /// <summary>"Azure Web PubSub service limits": concurrent connections per unit.</summary>
    public double ConnectionsPerUnit { get; init; } = 1_000;

    /// <summary>
    /// Time per frame on the Web PubSub path, milliseconds: the service sends a connection's frames one REST call at a
    /// time, in order, so one session receives at most 1,000 ÷ this frames per second. An assumption (the service's
    /// REST round trip from the function app is not published; 10 ms assumed); the <c>webpubsub</c> suite measured
    /// the stand-in's added latency plus 0.5–4 ms of our own per frame.
    /// </summary>
    public double WebPubSubSendMs { get; init; } = 10;

    /// <summary>Application Insights ingestion throttle, telemetry items per second (unverified: assumed 32,000).</summary>
    public double TelemetryItemsPerSecond { get; init; } = 32_000;

    /// <summary>Share of a resource the model lets a steady load use (headroom for bursts and retries).</summary>
    public double TargetUtilisation { get; init; } = 0.7;
}

namespace Arcp.Azure.Durable;

/// <summary>The local Durable Task backend on Azure Storage, bound from <c>Arcp:Durable</c>.</summary>
public sealed class DurableTaskOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Arcp:Durable";

    /// <summary>Task hub name: 3–45 letters and digits, starting with a letter. Every node of one runtime uses the same.</summary>
    public string TaskHubName { get; set; } = "arcpjobs";

    /// <summary>Longest wait between queue polls when idle; the backend's 30 s default would add that much latency.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a dequeued activity stays hidden: a crashed worker's activity is handed out again after it.</summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a dequeued orchestration message stays hidden.</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest wait for one read-and-write of the control-queue partition table before the backend gives up and
    /// retries. The backend's 2 s is meant to catch a silent hang, but a busy or throttled account (or a loaded node)
    /// answers slower than that for a while, and then no node renews its partition leases and orchestrations stall
    /// until the table answers fast again. Leases last 30 s and are renewed every 10 s, so 10 s still renews in time.
    /// </summary>
    public TimeSpan PartitionTableOperationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Control-queue partitions (1–16): caps how many nodes run orchestrator code in parallel.</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>Activities (agent runs) one node runs at once; 0 keeps the backend's default (10 per processor).</summary>
    public int MaxConcurrentActivities { get; set; }
}

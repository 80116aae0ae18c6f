namespace Arcp.Runtime.Jobs.Sweeping;

/// <summary>What one sweep did.</summary>
/// <param name="Examined">Non-terminal jobs looked at.</param>
/// <param name="Started">Jobs whose missing execution instance was started.</param>
/// <param name="Synced">Jobs whose submitter outbox was re-synced.</param>
/// <param name="Failed">Jobs skipped because storage or the scheduler failed; the next sweep retries them.</param>
public sealed record JobSweepResult(int Examined, int Started, int Synced, int Failed)
{
    /// <summary>Jobs whose execution ended without a terminal and that the sweeper ended.</summary>
    public int Ended { get; init; }

    /// <summary>Owed outbox syncs (marked when a sync failed) that the sweep completed.</summary>
    public int Resynced { get; init; }
}

namespace Arcp.Runtime.Jobs;

/// <summary>A job event as stored: its job-scoped index (from 1) plus what was appended.</summary>
public sealed record StoredJobEvent(long Index, string Type, string PayloadJson, DateTimeOffset Timestamp, string MessageId)
{
    /// <summary>Whether this is the job's terminal event.</summary>
    public bool IsTerminal => Type is JobEventTypes.Result or JobEventTypes.Error;
}

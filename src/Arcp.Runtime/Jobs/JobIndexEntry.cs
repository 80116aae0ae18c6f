namespace Arcp.Runtime.Jobs;

/// <summary>A principal job index row: the immutable facts listing and paging need.</summary>
public sealed record JobIndexEntry(
    string Principal,
    string JobId,
    string Agent,
    DateTimeOffset CreatedAt,
    string SubmitterSessionId,
    string TraceId,
    string? ParentJobId);

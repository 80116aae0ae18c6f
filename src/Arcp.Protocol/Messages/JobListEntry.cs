namespace Arcp.Protocol.Messages;

/// <summary>One job of a <c>session.jobs</c> page; never carries credentials.</summary>
/// <param name="JobId">Job id.</param>
/// <param name="Agent">Resolved <c>name@version</c>.</param>
/// <param name="Status">Current state.</param>
/// <param name="Lease">Effective lease (namespace → patterns).</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="LastEventSeq">Last seq stamped for the job in the owning session (0 when none).</param>
/// <param name="ParentJobId">Parent job, for delegated jobs.</param>
/// <param name="TraceId">Job trace id.</param>
public sealed record JobListEntry(
    string JobId,
    string Agent,
    JobStatus Status,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Lease,
    DateTimeOffset CreatedAt,
    long LastEventSeq,
    string? ParentJobId = null,
    string? TraceId = null);

namespace Arcp.Protocol.Messages;

/// <summary>The <c>session.list_jobs</c> <c>filter</c>; all fields optional and combined with AND.</summary>
/// <param name="Status">Accepted states (empty = no filter).</param>
/// <param name="Agent">Bare name (any version) or exact <c>name@version</c>.</param>
/// <param name="CreatedAfter">Strictly-later-than bound.</param>
/// <param name="CreatedBefore">Strictly-earlier-than bound.</param>
public sealed record ListJobsFilter(
    IReadOnlyList<JobStatus>? Status = null,
    string? Agent = null,
    DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null);

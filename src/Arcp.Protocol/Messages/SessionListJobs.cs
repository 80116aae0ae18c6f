using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>session.list_jobs</c> (in): requests a page of the job inventory.</summary>
/// <param name="Filter">Optional filter.</param>
/// <param name="Limit">Page size (positive).</param>
/// <param name="Cursor">Opaque cursor from a previous <c>next_cursor</c>.</param>
public sealed record SessionListJobs(ListJobsFilter? Filter = null, int? Limit = null, string? Cursor = null) : ArcpPayload
{
    internal override ProtocolError? Validate() => PayloadChecks.AtLeast(Limit, 1, "limit");
}

using System.Text.Json.Serialization;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>session.jobs</c> (out): a page of jobs. <c>next_cursor</c> is always written (null on the last page) and <c>reply_to</c> mirrors <c>request_id</c>.</summary>
/// <param name="RequestId">The <c>id</c> of the <c>session.list_jobs</c> envelope.</param>
/// <param name="Jobs">The page.</param>
/// <param name="NextCursor">Cursor of the next page, or null on the last page.</param>
public sealed record SessionJobs(
    string RequestId,
    IReadOnlyList<JobListEntry> Jobs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor = null) : ArcpPayload
{
    /// <summary>Gets the correlation copy of <see cref="RequestId"/>.</summary>
    public string ReplyTo => RequestId;

    internal override ProtocolError? Validate()
    {
        for (var i = 0; i < Jobs.Count; i++)
        {
            var error = Jobs[i] is null
                ? PayloadChecks.Invalid($"jobs[{i}]", "payload.jobs entries must be objects.")
                : PayloadChecks.AtLeast(Jobs[i].LastEventSeq, 0, $"jobs[{i}].last_event_seq");
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }
}

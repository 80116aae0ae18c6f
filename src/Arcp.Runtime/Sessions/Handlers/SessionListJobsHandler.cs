using Arcp.Protocol.Agents;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>
/// <c>session.list_jobs</c> (§6.6): the caller's own jobs only, in (created_at, job id) order — job ids are
/// time-ordered, so the index order is that order — with keyset paging on the job id. A malformed cursor starts
/// from the beginning; <c>next_cursor</c> is null on the last page. Never credentials.
/// </summary>
internal sealed class SessionListJobsHandler(
    ISessionStore sessions,
    IJobStore jobs,
    IPrincipalJobIndex index,
    SessionSender sender,
    IOptions<ArcpSessionOptions> options) : MessageHandler<SessionListJobs>
{
    private readonly ArcpSessionOptions _options = options.Value;

    protected override async Task HandleAsync(SessionConnection connection, ArcpMessage message, SessionListJobs payload, CancellationToken cancellationToken)
    {
        if (!connection.Has("list_jobs"))
        {
            await sender.SendErrorAsync(connection, new ProtocolError(ErrorCode.InvalidRequest, "list_jobs was not negotiated.") { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var limit = Math.Clamp(payload.Limit ?? _options.DefaultListLimit, 1, _options.MaxListLimit);
        var filter = payload.Filter;
        AgentRef? agentFilter = null;
        if (filter?.Agent is { } agentText && !AgentRef.TryParse(agentText, out agentFilter))
        {
            await sender.SendErrorAsync(connection, ProtocolError.InvalidRequest("filter.agent is not a valid agent reference.", "payload.filter.agent") with { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var after = JobListCursor.Decode(payload.Cursor);
        var matches = new List<(JobListEntry Entry, string JobId)>();
        while (matches.Count <= limit)
        {
            var page = await index.ListAsync(connection.Principal!, after, Math.Max(limit * 2, 32), cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            var candidates = page.Where(e => Matches(e, agentFilter, filter)).ToList();
            var states = await Task.WhenAll(candidates.Select(e => jobs.GetAsync(e.JobId, cancellationToken))).ConfigureAwait(false);
            for (var i = 0; i < candidates.Count && matches.Count <= limit; i++)
            {
                if (states[i] is not { } state || (filter?.Status is { Count: > 0 } statuses && !statuses.Contains(state.Status)))
                {
                    continue;
                }

                var owner = await sessions.GetSubscriptionAsync(state.Definition.SubmitterSessionId, state.JobId, cancellationToken).ConfigureAwait(false);
                matches.Add((new JobListEntry(
                    state.JobId,
                    state.Definition.Agent,
                    state.Status,
                    JobLease.ReadGrants(state.Definition.LeaseJson),
                    state.Definition.CreatedAt,
                    owner?.LastSeq ?? 0,
                    state.Definition.ParentJobId,
                    state.Definition.TraceId), state.JobId));
            }

            after = page[^1].JobId;
        }

        var more = matches.Count > limit;
        var shown = matches.Take(limit).ToList();
        var next = more ? JobListCursor.Encode(shown[^1].JobId) : null;
        await sender.SendAsync(connection, new SessionJobs(message.Id, shown.Select(m => m.Entry).ToList(), next), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static bool Matches(JobIndexEntry entry, AgentRef? agent, ListJobsFilter? filter)
    {
        if (agent is not null)
        {
            var matchesAgent = agent.Version is null
                ? entry.Agent.StartsWith(agent.Name + "@", StringComparison.Ordinal) || entry.Agent == agent.Name
                : entry.Agent == agent.ToString();
            if (!matchesAgent)
            {
                return false;
            }
        }

        return (filter?.CreatedAfter is not { } createdAfter || entry.CreatedAt > createdAfter)
            && (filter?.CreatedBefore is not { } createdBefore || entry.CreatedAt < createdBefore);
    }
}

using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Credentials;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Microsoft.Extensions.Logging;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>
/// <c>job.subscribe</c> (§7.6): attaches to a job of the same principal (default policy). The subscription row and
/// the history mapping are one outbox sync, so the history/live boundary has no gap and no duplicate; history is
/// re-stamped into this session's seq space and sent after <c>job.subscribed</c>. A job of another principal is
/// answered exactly like an unknown one, so existence never leaks.
/// </summary>
internal sealed partial class JobSubscribeHandler(
    ISessionStore sessions,
    IJobStore jobs,
    CredentialService credentials,
    SessionSender sender,
    SignalHub signals,
    ILogger<JobSubscribeHandler> logger) : MessageHandler<JobSubscribe>
{
    protected override async Task HandleAsync(SessionConnection connection, ArcpMessage message, JobSubscribe payload, CancellationToken cancellationToken)
    {
        if (!connection.Has("subscribe"))
        {
            await sender.SendErrorAsync(connection, new ProtocolError(ErrorCode.InvalidRequest, "subscribe was not negotiated.") { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var state = await jobs.GetAsync(payload.JobId, cancellationToken).ConfigureAwait(false);
        LogSubscribeAudit(logger, connection.Principal!, payload.JobId, state?.Definition.Principal ?? "-", state is not null && state.Definition.Principal == connection.Principal);
        if (state is null || state.Definition.Principal != connection.Principal)
        {
            await sender.SendErrorAsync(connection, ProtocolError.WithDetails(ErrorCode.PermissionDenied, "Not permitted to observe this job.", ("job_id", payload.JobId)) with { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
            return;
        }

        await connection.SendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var history = payload.History ?? false;
            var lastBefore = await sessions.GetLastIssuedSeqAsync(connection.SessionId, cancellationToken).ConfigureAwait(false);
            var startIndex = history
                ? await HistoryStartAsync(state, payload.FromEventSeq, cancellationToken).ConfigureAwait(false)
                : state.EventCount;
            var added = await sessions.SubscribeAsync(
                connection.SessionId,
                new SessionSubscription(state.JobId, IsSubmitter: false, state.Definition.TraceId, Redact: state.Definition.Principal != connection.Principal, startIndex, LastSeq: 0),
                cancellationToken).ConfigureAwait(false);

            var current = await jobs.GetAsync(state.JobId, cancellationToken).ConfigureAwait(false) ?? state;
            var sync = await sessions.SyncOutboxAsync(connection.SessionId, state.JobId, current.EventCount, cancellationToken).ConfigureAwait(false);
            // The history is replayed whoever maps it: the delivery loop's pull may find the new subscription row
            // and map the events first (this sync then adds nothing); either way they are sent after job.subscribed,
            // since this handler holds the send gate.
            var replayed = history && added is SubscribeResult.Added && sync is OutboxSyncResult.Synced && current.EventCount > startIndex;
            var subscribedFrom = history && sync is OutboxSyncResult.Synced synced ? Math.Max(synced.LastSeq, lastBefore) : lastBefore;

            var lease = JobLease.ReadGrants(current.Definition.LeaseJson);
            await sender.SendAsync(
                connection,
                new JobSubscribed(
                    current.JobId,
                    current.Definition.Agent,
                    current.Status,
                    lease,
                    subscribedFrom,
                    replayed,
                    current.Definition.LeaseConstraintsJson is { } constraints ? System.Text.Json.JsonSerializer.Deserialize(constraints, Protocol.Json.ArcpJsonContext.Default.LeaseConstraints) : null,
                    lease.ContainsKey(LeaseNamespaces.CostBudget) ? current.Budget : null,
                    current.Definition.ParentJobId,
                    current.Definition.TraceId,
                    // Credentials follow the submitter only (§7.6, §14); with the default policy every observer is the submitter's principal.
                    Credentials: current.Definition.Principal == connection.Principal && await credentials.ReadForSubmitterAsync(current.JobId, cancellationToken).ConfigureAwait(false) is { Count: > 0 } own ? own : null,
                    message.Id),
                current.JobId,
                current.Definition.TraceId,
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connection.SendGate.Release();
        }

        connection.FinishedJobs.Remove(state.JobId);
        connection.Subscribed = true;
        signals.Pulse(SignalHub.SessionSubscriptions(connection.SessionId));
        signals.Pulse(SignalHub.Session(connection.SessionId));
    }

    /// <summary>
    /// Maps <c>from_event_seq</c> (a seq of the submitting session, as listings report it) to the job event index the
    /// history starts after. Absent means the whole retained history.
    /// </summary>
    private async Task<long> HistoryStartAsync(JobState state, long? fromEventSeq, CancellationToken cancellationToken)
    {
        var floor = state.EventFloor - 1;
        if (fromEventSeq is not { } from || from <= 0)
        {
            return floor;
        }

        var owner = state.Definition.SubmitterSessionId;
        var after = from;
        while (true)
        {
            var read = await sessions.ReadOutboxAsync(owner, after, 1000, cancellationToken).ConfigureAwait(false);
            if (read is not OutboxRead.Entries { Items.Count: > 0 } entries)
            {
                // Everything the owner saw of this job is at or below from_event_seq.
                var ownerSub = await sessions.GetSubscriptionAsync(owner, state.JobId, cancellationToken).ConfigureAwait(false);
                return Math.Max(floor, ownerSub?.DeliveredIndex ?? floor);
            }

            if (entries.Items.FirstOrDefault(e => e.JobId == state.JobId) is { } first)
            {
                return Math.Max(floor, first.JobEventIndex - 1);
            }

            after = entries.Items[^1].Seq;
        }
    }

    [LoggerMessage(EventId = 2221, Level = LogLevel.Information, Message = "Subscribe by {Principal} to job {JobId} of {TargetPrincipal}: allowed {Allowed}")]
    private static partial void LogSubscribeAudit(ILogger logger, string principal, string jobId, string targetPrincipal, bool allowed);
}

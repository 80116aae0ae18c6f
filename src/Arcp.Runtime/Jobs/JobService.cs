using System.Text.Json;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Json;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Agents;
using Arcp.Runtime.Credentials;
using Arcp.Runtime.Idempotency;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// Accepts and cancels jobs (§7.1–§7.5, as the public ARCP SDKs expect). Submission validates, records the job durably and returns
/// the <c>job.accepted</c> payload; only after the caller sent it does <see cref="StartAsync"/> start the execution, so
/// the client always sees the acceptance before any event. A crash in between is repaired by the sweeper.
/// </summary>
public sealed partial class JobService(
    IJobStore jobs,
    ISessionStore sessions,
    IPrincipalJobIndex index,
    IIdempotencyStore idempotency,
    IJobScheduler scheduler,
    AgentCatalog agents,
    JobStopSignals stopSignals,
    CredentialService credentials,
    JobTerminals terminals,
    TimeProvider timeProvider,
    ILogger<JobService> logger,
    IOptions<JobRunnerOptions>? runnerOptions = null) : IChildJobSubmitter
{
    private readonly IdGenerator _ids = new(timeProvider);

    /// <summary>Validates and records a submission.</summary>
    public async Task<SubmitOutcome> SubmitAsync(SubmitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var submit = request.Payload;
        var now = ArcpTimestamp.Truncate(timeProvider.GetUtcNow());

        if (!agents.TryResolve(submit.Agent, out var agent, out var agentError))
        {
            return Reject(agentError, request);
        }

        if (!LeaseRequest.TryParse(submit.LeaseRequest, out var lease, out var leaseError))
        {
            return Reject(leaseError, request);
        }

        DateTimeOffset? expiresAt = null;
        if (submit.LeaseConstraints?.ExpiresAt is { } expiresText)
        {
            if (!LeaseExpiry.TryParse(expiresText, now, out var parsed, out var expiryError))
            {
                return Reject(expiryError, request);
            }

            expiresAt = parsed;
        }

        if (submit.MaxRuntimeSec is { } max && (max < 1 || max > int.MaxValue))
        {
            return Reject(ProtocolError.InvalidRequest("max_runtime_sec must be a positive integer.", "payload.max_runtime_sec"), request);
        }

        if (MaxRuntimeCeiling.Check(runnerOptions?.Value.MaxRuntimeCeilingSeconds, submit.MaxRuntimeSec) is { } beyondCeiling)
        {
            return Reject(beyondCeiling, request);
        }

        if (submit.ParentJobId is { } parentId)
        {
            var parent = await jobs.GetAsync(parentId, cancellationToken).ConfigureAwait(false);
            if (parent is null || parent.Definition.Principal != request.Principal)
            {
                return Reject(ProtocolError.WithDetails(ErrorCode.JobNotFound, $"Parent job {parentId} does not exist.", ("job_id", parentId)), request);
            }

            if (!lease.IsSubsetOf(JobLease.Parse(parent.Definition.LeaseJson), parent.Budget, out var subsetError))
            {
                return Reject(subsetError, request);
            }

            if (expiresAt is { } childExpiry && parent.Definition.ExpiresAt is { } parentExpiry && childExpiry > parentExpiry)
            {
                return Reject(new ProtocolError(ErrorCode.LeaseSubsetViolation, "The child lease may not outlive its parent's."), request);
            }

            expiresAt = LeaseExpiry.Effective(expiresAt, parent.Definition.ExpiresAt);
        }

        var jobId = _ids.NewJobId();
        var traceId = request.TraceId is { } inbound && IdFormats.IsValidTraceId(inbound) ? inbound : IdGenerator.NewTraceId();
        var accepted = new JobAccepted(
            jobId,
            agent.Reference,
            lease.Grants,
            now,
            submit.LeaseConstraints,
            lease.HasBudget ? lease.Budget : null,
            Credentials: null,
            traceId,
            submit.ParentJobId);
        var definition = new JobDefinition(
            jobId,
            request.Principal,
            request.SessionId,
            agent.Reference,
            JobLease.ToJson(lease.Grants),
            submit.LeaseConstraints is null ? null : JsonSerializer.Serialize(submit.LeaseConstraints, ArcpJsonContext.Default.LeaseConstraints),
            expiresAt,
            (int?)submit.MaxRuntimeSec,
            traceId,
            submit.ParentJobId,
            now,
            lease.HasBudget ? lease.Budget : new Dictionary<string, decimal>(),
            request.Features);

        if (submit.IdempotencyKey is { } key)
        {
            var reservation = await idempotency.ReserveAsync(
                new IdempotencyRecord(request.Principal, key, SubmitParameters.Hash(submit), jobId, ArcpWriter.SerializePayload(accepted), now),
                cancellationToken).ConfigureAwait(false);
            if (!reservation.Won)
            {
                return await ReplayAsync(reservation.Record, submit, definition, request, cancellationToken).ConfigureAwait(false);
            }
        }

        await RecordAsync(definition, submit.Input, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Credential> issued;
        try
        {
            issued = await credentials.IssueAsync(definition, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogIssueFailed(logger, ex, jobId);
            return await AbandonUnissuedAsync(definition, submit.IdempotencyKey, request).ConfigureAwait(false);
        }

        LogAccepted(logger, jobId, agent.Reference, request.SessionId);
        return new SubmitOutcome.Accepted(accepted with { ReplyTo = request.RequestId, Credentials = issued.Count > 0 ? issued : null }, JobStartRequest.Of(definition), Replayed: false);
    }

    /// <summary>Starts the execution of an accepted job (idempotent).</summary>
    public Task StartAsync(JobStartRequest start, CancellationToken cancellationToken) => scheduler.StartAsync(start, cancellationToken);

    /// <inheritdoc />
    public async Task<SubmitOutcome> SubmitChildAsync(JobDefinition parent, JobSubmit submit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var outcome = await SubmitAsync(
            new SubmitRequest(parent.Principal, parent.SubmitterSessionId, parent.Features, submit, _ids.NewMessageId(), parent.TraceId),
            cancellationToken).ConfigureAwait(false);
        if (outcome is SubmitOutcome.Accepted accepted)
        {
            await StartAsync(accepted.Start, cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>
    /// Cancels a job on behalf of <paramref name="sessionId"/> (§7.4). Only the submitting session may; another
    /// principal's job is reported as not found, so its existence never leaks.
    /// </summary>
    public async Task<CancelOutcome> CancelAsync(string principal, string sessionId, string jobId, string? reason, CancellationToken cancellationToken)
    {
        var state = await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (state is null || state.Definition.Principal != principal)
        {
            return new CancelOutcome.Rejected(ProtocolError.WithDetails(ErrorCode.JobNotFound, $"Job {jobId} does not exist.", ("job_id", jobId)));
        }

        if (state.Definition.SubmitterSessionId != sessionId)
        {
            return new CancelOutcome.Rejected(ProtocolError.WithDetails(ErrorCode.PermissionDenied, "Only the session that submitted the job may cancel it.", ("job_id", jobId)));
        }

        switch (await jobs.RequestCancelAsync(jobId, reason, cancellationToken).ConfigureAwait(false))
        {
            case CancelRequestResult.AlreadyTerminal terminal:
                return new CancelOutcome.AlreadyTerminal(jobId, terminal.Current.Status);
            case CancelRequestResult.NotFound:
                return new CancelOutcome.Rejected(ProtocolError.WithDetails(ErrorCode.JobNotFound, $"Job {jobId} does not exist.", ("job_id", jobId)));
        }

        await SignalCancelAsync(jobId, cancellationToken).ConfigureAwait(false);
        LogCancelRequested(logger, jobId, sessionId);
        return new CancelOutcome.Cancelled(jobId, reason);
    }

    /// <summary>
    /// When <paramref name="parentJobId"/> ended: cancels each child it delegated that still holds provisioned
    /// credentials, since the child's ending is what revokes them and the parent's termination must not leave a child
    /// credential live (§9.8.2). Children without credentials run on (fire-and-forget delegation stays possible).
    /// Returns how many it cancelled.
    /// </summary>
    public async Task<int> CancelChildrenHoldingCredentialsAsync(string parentJobId, CancellationToken cancellationToken)
    {
        if (!credentials.IsEnabled)
        {
            // Without a provisioner no job holds credentials: no need to look for children.
            return 0;
        }

        var cancelled = 0;
        foreach (var childId in await jobs.ListChildrenAsync(parentJobId, cancellationToken).ConfigureAwait(false))
        {
            if ((await credentials.ListIdsAsync(childId, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                continue;
            }

            // Raised again on a retry too: a run that recorded the request but died before raising must not strand the child.
            if (await jobs.RequestCancelAsync(childId, "The parent job ended.", cancellationToken).ConfigureAwait(false) is CancelRequestResult.Requested requested)
            {
                await SignalCancelAsync(childId, cancellationToken).ConfigureAwait(false);
                if (!requested.AlreadyRequested)
                {
                    LogChildCancelled(logger, childId, parentJobId);
                    cancelled++;
                }
            }
        }

        return cancelled;
    }

    /// <summary>After the cancel request is durable: stops a local run at once and tells the orchestration.</summary>
    private async Task SignalCancelAsync(string jobId, CancellationToken cancellationToken)
    {
        stopSignals.Stop(jobId, JobStopReason.Cancelled);
        await scheduler.RaiseCancelAsync(jobId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SubmitOutcome> ReplayAsync(IdempotencyRecord existing, JobSubmit submit, JobDefinition candidate, SubmitRequest request, CancellationToken cancellationToken)
    {
        if (existing.ParametersHash != SubmitParameters.Hash(submit))
        {
            return Reject(ProtocolError.WithDetails(ErrorCode.DuplicateKey, "The idempotency key was used with different parameters.", ("existing_job_id", existing.JobId)), request);
        }

        var original = JsonSerializer.Deserialize(existing.AcceptedPayloadJson, ArcpJsonContext.Default.JobAccepted)!;
        var job = await jobs.GetAsync(existing.JobId, cancellationToken).ConfigureAwait(false);
        var definition = job?.Definition ?? candidate with { JobId = existing.JobId, CreatedAt = original.AcceptedAt, TraceId = original.TraceId ?? candidate.TraceId };
        if (job is null)
        {
            // The first submission won the key but died before recording its job: finish its work with its id.
            await RecordAsync(definition, submit.Input, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Its three writes go out at once, so the job may exist while the submitter's subscription or index row
            // failed (and the client got an error, then sent the key again): without the subscription the session
            // would never see the job's events. Both writes are idempotent.
            await Task.WhenAll(SubscribeSubmitterAsync(definition, cancellationToken), IndexAsync(definition, cancellationToken)).ConfigureAwait(false);
        }

        if (await credentials.IssueMissingAsync(definition, cancellationToken).ConfigureAwait(false))
        {
            // The first submission died or failed before its credentials were issued: never run that job without them.
            return await AbandonUnissuedAsync(definition, submit.IdempotencyKey, request).ConfigureAwait(false);
        }

        // Credential values are never stored with the idempotency record: a replay reads them back from the ledger.
        var replayed = await credentials.ReadForSubmitterAsync(existing.JobId, cancellationToken).ConfigureAwait(false);
        return new SubmitOutcome.Accepted(original with { ReplyTo = request.RequestId, Credentials = replayed.Count > 0 ? replayed : null }, JobStartRequest.Of(definition), Replayed: true);
    }

    /// <summary>
    /// The job partition (one transaction), the submitter's subscription and the principal index row, written at once:
    /// one round trip. All three are durable before <c>job.accepted</c> goes out and the job starts, so the
    /// submitter's outbox can map the job's very first event; a submission that fails part-way is answered with an
    /// error and its job never starts (a subscription or index row without a job is inert).
    /// </summary>
    private async Task RecordAsync(JobDefinition definition, JsonElement? input, CancellationToken cancellationToken)
    {
        if (definition.ParentJobId is { } parent)
        {
            // Before the child exists, so the parent's ending always finds it (§9.8.2: no child outlives it holding credentials).
            await jobs.RecordChildAsync(parent, definition.JobId, cancellationToken).ConfigureAwait(false);
        }

        // A child's submitter session may be gone (deleted after its resume window while the parent ran on): the child
        // still runs, readable by list and subscribe; a job's life never depends on its session.
        var subscribed = SubscribeSubmitterAsync(definition, cancellationToken);
        var created = jobs.CreateAsync(definition, input is { } value ? value.GetRawText() : "null", cancellationToken);
        var indexed = IndexAsync(definition, cancellationToken);
        await Task.WhenAll(subscribed, created, indexed).ConfigureAwait(false);
    }

    private Task<SubscribeResult> SubscribeSubmitterAsync(JobDefinition definition, CancellationToken cancellationToken) =>
        sessions.SubscribeAsync(definition.SubmitterSessionId, new SessionSubscription(definition.JobId, IsSubmitter: true, definition.TraceId, Redact: false, DeliveredIndex: 0, LastSeq: 0), cancellationToken);

    private Task IndexAsync(JobDefinition definition, CancellationToken cancellationToken) =>
        index.AddAsync(new JobIndexEntry(definition.Principal, definition.JobId, definition.Agent, definition.CreatedAt, definition.SubmitterSessionId, definition.TraceId, definition.ParentJobId), cancellationToken);


    private static SubmitOutcome.Rejected Reject(ProtocolError error, SubmitRequest request) => new(error with { RequestId = request.RequestId });

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Job {JobId} accepted for agent {Agent} from session {SessionId}")]
    private static partial void LogAccepted(ILogger logger, string jobId, string agent, string sessionId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Cancel of job {JobId} requested by session {SessionId}")]
    private static partial void LogCancelRequested(ILogger logger, string jobId, string sessionId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Credentials of job {JobId} could not be issued; the job is ended without running")]
    private static partial void LogIssueFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Could not yet end job {JobId}, whose credentials were never issued; the sweeper ends it")]
    private static partial void LogAbandonFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Child job {JobId} cancelled because its parent {ParentJobId} ended while it held credentials")]
    private static partial void LogChildCancelled(ILogger logger, string jobId, string parentJobId);
}

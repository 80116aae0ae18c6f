using Arcp.Azure.Storage;
using Arcp.Runtime.Sessions;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Arcp.Azure.Sessions;

/// <summary>
/// <see cref="ISessionStore"/> on Azure Tables. Partition = session id; rows <c>meta</c>, <c>seq</c>,
/// <c>sub:&lt;jobId&gt;</c> and outbox ranges <c>o:&lt;last seq&gt;</c>. An outbox sync is one entity-group transaction
/// {replace <c>seq</c> If-Match, replace <c>sub</c> If-Match, insert range}.
/// </summary>
public sealed partial class TableSessionStore(ArcpStorage storage, TimeProvider? timeProvider = null, ILogger<TableSessionStore>? logger = null) : SessionStoreBase
{
    private const string MetaRow = "meta";
    private const string SeqRow = "seq";
    private const string SubPrefix = "sub:";
    private const string SubEnd = "sub;";
    private const string RangePrefix = "o:";
    private const string RangeEnd = "o;";

    // Resume token lookups live in their own partitions of the same table: "rt:" + token hash never collides with "sess_…".
    private const string TokenPartitionPrefix = "rt:";
    private const string TokenRow = "session";

    private readonly TableClient _table = storage.Sessions;

    // Detached sessions are found for retention through the sweep index, not by scanning every session partition.
    private readonly SweepIndexRows _detached = new(storage.SweepIndex, "session");
    private readonly SweepIndexBackfill _backfill = new(storage.SweepIndex, "sessions", TimeSpan.FromHours(24), timeProvider ?? TimeProvider.System);
    private readonly ILogger _logger = logger ?? NullLogger<TableSessionStore>.Instance;
    private readonly AttachedSessionIndex _attached = new(storage, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);

    /// <inheritdoc />
    public override async Task<bool> CreateAsync(SessionState session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (AttachedSessionIndex.Lists(session.ConnectionId))
        {
            await _attached.AttachingAsync(session, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var response = await _table.SubmitTracedTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, ToEntity(session)),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(session.SessionId, SeqRow) { ["NextSeq"] = 1L }),
                ],
                cancellationToken).ConfigureAwait(false);
            if (response.Value[1].Headers.ETag is { } seqVersion)
            {
                RememberSeqVersion(session.SessionId, 1, seqVersion.ToString());
            }

            if (session is { ConnectionId: null, DetachedAt: { } detachedAt })
            {
                await IndexDetachedAsync(session.SessionId, detachedAt, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override async Task<SessionState?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(sessionId, MetaRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <inheritdoc />
    public override async Task<SessionState?> TryUpdateAsync(SessionState expected, SessionState updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        updated = updated with { SessionId = expected.SessionId };
        var moved = !string.Equals(expected.ConnectionId, updated.ConnectionId, StringComparison.Ordinal);
        if (moved && AttachedSessionIndex.Lists(updated.ConnectionId))
        {
            await _attached.AttachingAsync(updated, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var response = await _table.UpdateEntityAsync(ToEntity(updated), new ETag(expected.Version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            if (updated is { ConnectionId: null, DetachedAt: { } detachedAt } && (expected.ConnectionId is not null || expected.DetachedAt != detachedAt))
            {
                await IndexDetachedAsync(expected.SessionId, detachedAt, cancellationToken).ConfigureAwait(false);
            }

            if (moved && AttachedSessionIndex.Lists(expected.ConnectionId))
            {
                await _attached.DetachedAsync(expected.SessionId, expected.ConnectionId!, cancellationToken).ConfigureAwait(false);
            }
            else if (!moved && AttachedSessionIndex.Lists(updated.ConnectionId) && updated.LastInboundAt != expected.LastInboundAt)
            {
                await _attached.TouchedAsync(updated, cancellationToken).ConfigureAwait(false);
            }

            return updated with { Version = response.Headers.ETag?.ToString() ?? "" };
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public override async Task<SubscribeResult> SubscribeAsync(string sessionId, SessionSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (!KnowsSession(sessionId))
        {
            // Only a session this node has not seen costs the read; the submitter's own session is known.
            var seq = await _table.GetEntityIfExistsAsync<TableEntity>(sessionId, SeqRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!seq.HasValue)
            {
                return new SubscribeResult.SessionNotFound();
            }

            RememberSeqVersion(sessionId, seq.Value!.GetInt64("NextSeq") ?? 1, seq.Value.ETag.ToString());
        }

        try
        {
            var added = await _table.AddEntityAsync(ToEntity(sessionId, subscription), cancellationToken).ConfigureAwait(false);
            if (added.Headers.ETag is { } version)
            {
                RememberSubscription(sessionId, subscription, version.ToString());
            }

            return new SubscribeResult.Added(subscription);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await _table.GetEntityAsync<TableEntity>(sessionId, SubPrefix + subscription.JobId, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new SubscribeResult.AlreadySubscribed(FromSubscription(existing.Value));
        }
    }

    /// <inheritdoc />
    public override async Task<bool> UnsubscribeAsync(string sessionId, string jobId, CancellationToken cancellationToken)
    {
        // The SDK answers a delete of a missing entity with a 404 response rather than an exception.
        var response = await _table.DeleteEntityAsync(sessionId, SubPrefix + jobId, ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    /// <inheritdoc />
    public override async Task<SessionSubscription?> GetSubscriptionAsync(string sessionId, string jobId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(sessionId, SubPrefix + jobId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? FromSubscription(row.Value!) : null;
    }

    /// <inheritdoc />
    public override Task IndexResumeTokenAsync(string tokenHash, string sessionId, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(TokenPartitionPrefix + tokenHash, TokenRow) { ["SessionId"] = sessionId }, TableUpdateMode.Replace, cancellationToken);

    /// <inheritdoc />
    public override async Task<string?> FindSessionByResumeTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(TokenPartitionPrefix + tokenHash, TokenRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value!.GetString("SessionId") : null;
    }

    /// <inheritdoc />
    public override Task RemoveResumeTokenAsync(string tokenHash, CancellationToken cancellationToken) =>
        _table.DeleteEntityAsync(TokenPartitionPrefix + tokenHash, TokenRow, ETag.All, cancellationToken);

    /// <inheritdoc />
    public override async Task<IReadOnlyList<SessionSubscription>> GetSubscriptionsAsync(string sessionId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {sessionId} and RowKey ge {SubPrefix} and RowKey lt {SubEnd}");
        var subscriptions = new List<SessionSubscription>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            subscriptions.Add(FromSubscription(entity));
        }

        return subscriptions;
    }

    /// <inheritdoc />
    public override async Task<long> GetLastIssuedSeqAsync(string sessionId, CancellationToken cancellationToken)
    {
        var seq = await _table.GetEntityIfExistsAsync<TableEntity>(sessionId, SeqRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return seq.HasValue ? (seq.Value!.GetInt64("NextSeq") ?? 1) - 1 : 0;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Web PubSub's attachments come from the sweep index (<see cref="AttachedSessionIndex"/>); any other prefix, which
    /// no shipped transport sweeps, from a filtered scan of the sessions table.
    /// </remarks>
    public override async Task<IReadOnlyList<AttachedSession>> ListAttachedAsync(string connectionPrefix, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionPrefix);
        if (AttachedSessionIndex.Covers(connectionPrefix))
        {
            return await _attached.ListAsync(maxCount, cancellationToken).ConfigureAwait(false);
        }

        var filter = AttachedSessionIndex.AttachedMetaFilter(connectionPrefix);
        var attached = new List<AttachedSession>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var session = FromEntity(e);
            attached.Add(new AttachedSession(session.SessionId, session.ConnectionId!, session.Features, session.LastInboundAt ?? session.CreatedAt));
            if (attached.Count == maxCount)
            {
                break;
            }
        }

        return attached;
    }

    /// <inheritdoc />
    public override Task ForgetAttachedAsync(AttachedSession attached, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attached);
        return AttachedSessionIndex.Lists(attached.ConnectionId) ? _attached.ForgetAsync(attached, cancellationToken) : Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads the sweep index's detached rows that are due and then each session's meta; rows of sessions that were
    /// resumed, detached again later or deleted are dropped on the way. At most once a day per deployment a full scan
    /// first re-adds rows a failed write left out.
    /// </remarks>
    public override async Task<IReadOnlyList<SessionState>> ListDetachedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (await _backfill.IsDueAsync(cancellationToken).ConfigureAwait(false))
        {
            await BackfillIndexAsync(cancellationToken).ConfigureAwait(false);
        }

        var rows = await _detached.ListClosedBeforeAsync(cutoff, maxCount, cancellationToken).ConfigureAwait(false);
        var sessions = new SessionState?[rows.Count];
        await Parallel.ForAsync(0, rows.Count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
            sessions[i] = await GetAsync(rows[i].Id, ct).ConfigureAwait(false)).ConfigureAwait(false);
        var detached = new List<SessionState>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            if (sessions[i] is not { ConnectionId: null, DetachedAt: { } detachedAt } session || detachedAt > rows[i].At.AddSeconds(1))
            {
                // Deleted, attached again, or detached again later (that detach wrote its own row): this row is spent.
                await _detached.RemoveAsync(rows[i], cancellationToken).ConfigureAwait(false);
            }
            else if (detachedAt < cutoff)
            {
                detached.Add(session);
            }
        }

        return detached;
    }

    private async Task IndexDetachedAsync(string sessionId, DateTimeOffset detachedAt, CancellationToken cancellationToken)
    {
        try
        {
            await _detached.AddClosedAsync(sessionId, detachedAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException || StorageFaults.IsTransient(ex))
        {
            // The detach itself is durable; the daily full scan re-adds the row.
            LogIndexFailed(_logger, ex, sessionId);
        }
    }

    /// <summary>The full scan: a detached row for every detached session.</summary>
    private async Task BackfillIndexAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {MetaRow}");
        var added = 0;
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "ConnectionId", "DetachedAt"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (e.GetString("ConnectionId") is null && e.GetDateTimeOffset("DetachedAt") is { } detachedAt)
            {
                await _detached.AddClosedAsync(e.PartitionKey, detachedAt, cancellationToken).ConfigureAwait(false);
                added++;
            }
        }

        await _backfill.CompletedAsync(cancellationToken).ConfigureAwait(false);
        LogBackfilled(_logger, added);
    }

    [LoggerMessage(EventId = 6503, Level = LogLevel.Warning, Message = "Session {SessionId} detached but its sweep index row was not written; the daily full scan adds it")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 6504, Level = LogLevel.Information, Message = "Sweep index of detached sessions rebuilt from a full scan: {Rows} rows written")]
    private static partial void LogBackfilled(ILogger logger, int rows);

    /// <inheritdoc />
    public override async Task DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        ForgetSession(sessionId);
        var rows = new List<TableTransactionAction>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == sessionId, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
        }

        foreach (var batch in rows.Chunk(100))
        {
            await _table.SubmitTracedTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override async Task<OutboxSyncPoint?> ReadSyncPointAsync(string sessionId, IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        // Point reads at once: one round trip however many jobs the sync maps.
        var seqTask = _table.GetEntityIfExistsAsync<TableEntity>(sessionId, SeqRow, cancellationToken: cancellationToken);
        var subTasks = jobIds.Select(jobId => _table.GetEntityIfExistsAsync<TableEntity>(sessionId, SubPrefix + jobId, cancellationToken: cancellationToken)).ToList();
        var seq = await seqTask.ConfigureAwait(false);
        var subscriptions = new Dictionary<string, VersionedSubscription>(StringComparer.Ordinal);
        foreach (var subTask in subTasks)
        {
            var sub = await subTask.ConfigureAwait(false);
            if (sub.HasValue)
            {
                var subscription = FromSubscription(sub.Value!);
                subscriptions[subscription.JobId] = new VersionedSubscription(subscription, sub.Value!.ETag.ToString());
            }
        }

        return seq.HasValue ? new OutboxSyncPoint(seq.Value!.GetInt64("NextSeq") ?? 1, seq.Value.ETag.ToString(), subscriptions) : null;
    }

    /// <inheritdoc />
    protected override async Task<OutboxSyncCommit?> TryCommitSyncAsync(string sessionId, string seqVersion, long nextSeq, IReadOnlyList<OutboxSyncWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var actions = new List<TableTransactionAction>(1 + (2 * writes.Count))
        {
            new(TableTransactionActionType.UpdateReplace, new TableEntity(sessionId, SeqRow) { ["NextSeq"] = nextSeq }, new ETag(seqVersion)),
        };
        foreach (var write in writes)
        {
            var range = write.Range;
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(sessionId, write.Subscription), new ETag(write.ExpectedVersion)));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(sessionId, RangePrefix + TableKeys.Padded(range.LastSeq))
            {
                ["FirstSeq"] = range.FirstSeq,
                ["Count"] = range.Count,
                ["JobId"] = range.JobId,
                ["FirstJobIndex"] = range.FirstJobIndex,
                ["TraceId"] = range.TraceId,
                ["Redact"] = range.Redact,
                ["IsSubmitter"] = range.IsSubmitter,
            }));
        }

        try
        {
            var response = await _table.SubmitTracedTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            var newSeqVersion = response.Value[0].Headers.ETag?.ToString();
            var subVersions = new List<string>(writes.Count);
            for (var i = 0; i < writes.Count; i++)
            {
                if (response.Value[1 + (2 * i)].Headers.ETag?.ToString() is not { } version)
                {
                    return null;
                }

                subVersions.Add(version);
            }

            return newSeqVersion is null ? null : new OutboxSyncCommit(newSeqVersion, subVersions);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 or 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<OutboxRange>> ReadRangesAsync(string sessionId, long fromSeq, int maxRanges, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {sessionId} and RowKey ge {RangePrefix + TableKeys.Padded(fromSeq)} and RowKey lt {RangeEnd}");
        var ranges = new List<OutboxRange>(maxRanges);
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, maxPerPage: maxRanges, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            ranges.Add(new OutboxRange(
                e.GetInt64("FirstSeq") ?? 0,
                e.GetInt32("Count") ?? 0,
                e.GetString("JobId"),
                e.GetInt64("FirstJobIndex") ?? 0,
                e.GetString("TraceId"),
                e.GetBoolean("Redact") ?? false,
                e.GetBoolean("IsSubmitter") ?? false));
            if (ranges.Count == maxRanges)
            {
                break;
            }
        }

        return ranges;
    }

    /// <inheritdoc />
    protected override async Task<int> DeleteRangesThroughAsync(string sessionId, long throughSeq, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {sessionId} and RowKey ge {RangePrefix} and RowKey le {RangePrefix + TableKeys.Padded(throughSeq)}");
        var rows = new List<TableTransactionAction>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All));
        }

        foreach (var batch in rows.Chunk(100))
        {
            await _table.SubmitTracedTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        return rows.Count;
    }

    private static TableEntity ToEntity(SessionState s) => new(s.SessionId, MetaRow)
    {
        ["Principal"] = s.Principal,
        ["Features"] = string.Join(' ', s.Features),
        ["ResumeTokenHash"] = s.ResumeTokenHash,
        ["PreviousResumeTokenHash"] = s.PreviousResumeTokenHash,
        ["ConnectionId"] = s.ConnectionId,
        ["CreatedAt"] = s.CreatedAt,
        ["LastInboundAt"] = s.LastInboundAt,
        ["DetachedAt"] = s.DetachedAt,
        ["LastAckedSeq"] = s.LastAckedSeq,
        ["OutboxFloor"] = s.OutboxFloor,
        ["DeliveredSeq"] = s.DeliveredSeq,
    };

    private static SessionState FromEntity(TableEntity e) => new()
    {
        SessionId = e.PartitionKey,
        Principal = e.GetString("Principal"),
        Features = (e.GetString("Features") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        ResumeTokenHash = e.GetString("ResumeTokenHash"),
        PreviousResumeTokenHash = e.GetString("PreviousResumeTokenHash"),
        ConnectionId = e.GetString("ConnectionId"),
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        LastInboundAt = e.GetDateTimeOffset("LastInboundAt"),
        DetachedAt = e.GetDateTimeOffset("DetachedAt"),
        LastAckedSeq = e.GetInt64("LastAckedSeq") ?? 0,
        OutboxFloor = e.GetInt64("OutboxFloor") ?? 1,
        DeliveredSeq = e.GetInt64("DeliveredSeq") ?? 0,
        Version = e.ETag.ToString(),
    };

    private static TableEntity ToEntity(string sessionId, SessionSubscription s) => new(sessionId, SubPrefix + s.JobId)
    {
        ["IsSubmitter"] = s.IsSubmitter,
        ["TraceId"] = s.TraceId,
        ["Redact"] = s.Redact,
        ["DeliveredIndex"] = s.DeliveredIndex,
        ["LastSeq"] = s.LastSeq,
    };

    private static SessionSubscription FromSubscription(TableEntity e) => new(
        e.RowKey[SubPrefix.Length..],
        e.GetBoolean("IsSubmitter") ?? false,
        e.GetString("TraceId"),
        e.GetBoolean("Redact") ?? false,
        e.GetInt64("DeliveredIndex") ?? 0,
        e.GetInt64("LastSeq") ?? 0);
}

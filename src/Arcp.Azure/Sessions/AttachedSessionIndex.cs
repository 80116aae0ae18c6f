using Arcp.Azure.Storage;
using Arcp.Azure.WebPubSub;
using Arcp.Runtime.Sessions;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Arcp.Azure.Sessions;

/// <summary>
/// The sessions attached through Web PubSub, as sweep index rows (kind <c>attached</c>), so the Web PubSub sweep lists
/// them with one small range query instead of scanning the sessions table on every pass. A row per attachment
/// (session and connection), carrying the features and the last recorded inbound time, so the sweep decides pings and
/// flush times without reading the session.
/// </summary>
/// <remarks>
/// A direct WebSocket is watched in memory by the node that holds it, so its attach writes no row. The row is written
/// before the session names the connection (an attach never lacks its row), moved with each recorded inbound time,
/// and removed after the session leaves the connection; a row left behind by a failed removal is dropped by the sweep
/// once it reads the session (<see cref="ISessionStore.ForgetAttachedAsync"/>), and a daily full scan re-adds rows of a
/// deployment that predates the index.
/// </remarks>
internal sealed partial class AttachedSessionIndex(ArcpStorage storage, TimeProvider timeProvider, ILogger logger)
{
    private const string MetaRow = "meta";
    private const string SessionIdProperty = "SessionId";
    private const string ConnectionIdProperty = "ConnectionId";
    private const string FeaturesProperty = "Features";
    private const string LastInboundProperty = "LastInboundAt";
    private static readonly string[] s_properties = [SessionIdProperty, ConnectionIdProperty, FeaturesProperty, LastInboundProperty];

    private readonly SweepIndexRows _rows = new(storage.SweepIndex, "attached");
    private readonly SweepIndexBackfill _backfill = new(storage.SweepIndex, "attached-sessions", TimeSpan.FromHours(24), timeProvider);

    /// <summary>True for connections this index lists: those of the Web PubSub transport.</summary>
    public static bool Lists(string? connectionId) =>
        connectionId is not null && connectionId.StartsWith(WebPubSubConnections.Prefix, StringComparison.Ordinal);

    /// <summary>True when <paramref name="connectionPrefix"/> asks for exactly the connections this index lists.</summary>
    public static bool Covers(string connectionPrefix) => string.Equals(connectionPrefix, WebPubSubConnections.Prefix, StringComparison.Ordinal);

    /// <summary>Writes the row of an attachment about to be stored. A failure fails the attach: a listed transport's session must never be attached unseen.</summary>
    public Task AttachingAsync(SessionState session, CancellationToken cancellationToken) =>
        WriteAsync(new AttachedSession(session.SessionId, session.ConnectionId!, session.Features, session.LastInboundAt ?? session.CreatedAt), cancellationToken);

    /// <summary>Moves the row's inbound time after the session's own write; best effort (the sweep reads the session before acting on a stale time).</summary>
    public async Task TouchedAsync(SessionState session, CancellationToken cancellationToken)
    {
        try
        {
            await _rows.UpdateOpenAsync(
                RowId(session.SessionId, session.ConnectionId!),
                [new(LastInboundProperty, session.LastInboundAt ?? session.CreatedAt)],
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException || StorageFaults.IsTransient(ex))
        {
            LogTouchNotIndexed(logger, ex, session.SessionId);
        }
    }

    /// <summary>Removes the row of an attachment the session has left; best effort (the sweep drops what is left).</summary>
    public async Task DetachedAsync(string sessionId, string connectionId, CancellationToken cancellationToken)
    {
        try
        {
            await _rows.RemoveOpenAsync(RowId(sessionId, connectionId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException || StorageFaults.IsTransient(ex))
        {
            LogDetachNotIndexed(logger, ex, sessionId);
        }
    }

    /// <summary>Drops a row the sweep found stale.</summary>
    public Task ForgetAsync(AttachedSession attached, CancellationToken cancellationToken) =>
        _rows.RemoveOpenAsync(RowId(attached.SessionId, attached.ConnectionId), cancellationToken);

    /// <summary>Up to <paramref name="maxCount"/> attachments, after the daily full scan when it is due.</summary>
    public async Task<IReadOnlyList<AttachedSession>> ListAsync(int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (await _backfill.IsDueAsync(cancellationToken).ConfigureAwait(false))
        {
            await BackfillAsync(cancellationToken).ConfigureAwait(false);
        }

        var attached = new List<AttachedSession>();
        string? continuation = null;
        do
        {
            var page = await _rows.ListOpenAsync(continuation, maxCount - attached.Count, s_properties, cancellationToken).ConfigureAwait(false);
            attached.AddRange(page.Rows.Select(FromRow).OfType<AttachedSession>());
            continuation = page.Continuation;
        }
        while (continuation is not null && attached.Count < maxCount);

        return attached;
    }

    /// <summary>The full scan: a row for every session attached through Web PubSub.</summary>
    private async Task BackfillAsync(CancellationToken cancellationToken)
    {
        var filter = AttachedMetaFilter(WebPubSubConnections.Prefix);
        var added = 0;
        await foreach (var e in storage.Sessions.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "ConnectionId", "Features", "CreatedAt", "LastInboundAt"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var lastInbound = e.GetDateTimeOffset("LastInboundAt") ?? e.GetDateTimeOffset("CreatedAt") ?? default;
            var features = (e.GetString("Features") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            await WriteAsync(new AttachedSession(e.PartitionKey, e.GetString("ConnectionId"), features, lastInbound), cancellationToken).ConfigureAwait(false);
            added++;
        }

        await _backfill.CompletedAsync(cancellationToken).ConfigureAwait(false);
        LogBackfilled(logger, added);
    }

    /// <summary>The sessions table filter for session rows attached to a connection whose id starts with <paramref name="connectionPrefix"/>.</summary>
    internal static string AttachedMetaFilter(string connectionPrefix)
    {
        // A prefix range on a string property: ge the prefix and lt the prefix with its last character incremented.
        var end = connectionPrefix[..^1] + (char)(connectionPrefix[^1] + 1);
        return TableClient.CreateQueryFilter($"RowKey eq {MetaRow} and ConnectionId ge {connectionPrefix} and ConnectionId lt {end}");
    }

    private static AttachedSession? FromRow(SweepIndexRow row) =>
        row.Properties.TryGetValue(SessionIdProperty, out var sessionId) && row.Properties.TryGetValue(ConnectionIdProperty, out var connectionId)
            ? new AttachedSession(
                (string)sessionId,
                (string)connectionId,
                (row.Properties.GetValueOrDefault(FeaturesProperty) as string ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
                row.Properties.GetValueOrDefault(LastInboundProperty) is DateTimeOffset at ? at : row.At)
            : null;

    private Task WriteAsync(AttachedSession attached, CancellationToken cancellationToken) =>
        _rows.OpenAsync(
            RowId(attached.SessionId, attached.ConnectionId),
            [
                new(SessionIdProperty, attached.SessionId),
                new(ConnectionIdProperty, attached.ConnectionId),
                new(FeaturesProperty, string.Join(' ', attached.Features)),
                new(LastInboundProperty, attached.LastInboundAt),
            ],
            cancellationToken);

    // One row per attachment: a later attach of the same session has its own row, so removing an old one never
    // removes a newer one.
    private static string RowId(string sessionId, string connectionId) => sessionId + "|" + connectionId;

    [LoggerMessage(EventId = 6505, Level = LogLevel.Warning, Message = "Session {SessionId} recorded an inbound time its attached-session index row did not get; the sweep reads the session before acting")]
    private static partial void LogTouchNotIndexed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 6506, Level = LogLevel.Warning, Message = "Session {SessionId} left its Web PubSub connection but its attached-session index row was not removed; the sweep drops it")]
    private static partial void LogDetachNotIndexed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 6507, Level = LogLevel.Information, Message = "Sweep index of sessions attached through Web PubSub rebuilt from a full scan: {Rows} rows written")]
    private static partial void LogBackfilled(ILogger logger, int rows);
}

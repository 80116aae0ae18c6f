using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Arcp.Runtime.Telemetry;
using Microsoft.Extensions.Logging;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// Pushes a Web PubSub session's outbox to its connection through the REST API, in seq order, under the session's
/// delivery lease. Runs after a local outbox sync, after each inbound message, and from the periodic sweep, so a
/// crashed sender's leftovers are flushed by someone else.
/// </summary>
public sealed partial class WebPubSubOutboxFlusher : IOutboxObserver
{
    private const int BatchSize = 256;
    private readonly ISessionStore _sessions;
    private readonly IJobStore _jobs;
    private readonly OutboxReader _outbox;
    private readonly IConnectionHub _hub;
    private readonly SessionDeliveryLease _lease;
    private readonly ILogger<WebPubSubOutboxFlusher> _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the flusher.</summary>
    public WebPubSubOutboxFlusher(ISessionStore sessions, IJobStore jobs, OutboxReader outbox, IConnectionHub hub, TimeProvider timeProvider, ILogger<WebPubSubOutboxFlusher> logger)
    {
        _sessions = sessions;
        _jobs = jobs;
        _outbox = outbox;
        _hub = hub;
        _lease = new SessionDeliveryLease(sessions, timeProvider);
        _logger = logger;
        _timeProvider = timeProvider;
    }

    internal SessionDeliveryLease Lease => _lease;

    /// <inheritdoc />
    public void OutboxSynced(string sessionId) => _ = Task.Run(async () =>
    {
        try
        {
            await FlushAsync(sessionId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFlushFailed(_logger, ex, sessionId);
        }
    });

    /// <summary>Maps what the session's observed jobs appended elsewhere, then sends everything not yet delivered.</summary>
    public async Task FlushAsync(string sessionId, CancellationToken cancellationToken)
    {
        var session = await _sessions.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (session is null || !WebPubSubConnections.TryGetConnectionId(session.ConnectionId, out _))
        {
            return;
        }

        var subscriptions = await _sessions.GetSubscriptionsAsync(sessionId, cancellationToken).ConfigureAwait(false);
        await SubscriptionPull.PullAsync(_sessions, _jobs, sessionId, subscriptions, cancellationToken, _logger).ConfigureAwait(false);

        if (await _sessions.GetLastIssuedSeqAsync(sessionId, cancellationToken).ConfigureAwait(false) <= session.DeliveredSeq)
        {
            return;
        }

        var held = await _lease.AcquireAsync(sessionId, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            // Someone else is sending; it re-checks for more before it lets go.
            return;
        }

        var delivered = held.DeliveredSeq;
        try
        {
            delivered = await SendPendingAsync(held, delivered, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _lease.ReleaseAsync(held, delivered, lastInboundAt: null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Sends outbox envelopes after <paramref name="deliveredSeq"/> to the session's connection; the caller holds the lease.</summary>
    internal async Task<long> SendPendingAsync(SessionState session, long deliveredSeq, CancellationToken cancellationToken)
    {
        if (!WebPubSubConnections.TryGetConnectionId(session.ConnectionId, out var connectionId))
        {
            return deliveredSeq;
        }

        while (true)
        {
            if (await _outbox.ReadAsync(session.SessionId, deliveredSeq, BatchSize, cancellationToken).ConfigureAwait(false) is not OutboxBatch.Envelopes { Items.Count: > 0 } batch)
            {
                return deliveredSeq;
            }

            ArcpTelemetry.OutboxLag.Record(batch.LastIssuedSeq - deliveredSeq);
            foreach (var envelope in batch.Items)
            {
                await _hub.SendAsync(connectionId, envelope.Utf8, cancellationToken).ConfigureAwait(false);
                ArcpTelemetry.RecordDelivery(_timeProvider.GetUtcNow(), envelope.EmittedAt);
                deliveredSeq = envelope.Seq;
            }
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Flushing session {SessionId} through Web PubSub failed; the sweep retries")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string sessionId);
}

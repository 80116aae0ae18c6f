using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.Logging;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// Web PubSub's use of the delivery engine: the <see cref="OutboxPump"/> through a <see cref="LeasedHubChannel"/>, one
/// <see cref="DeliveryLease"/> per burst. Runs after a local outbox sync, after each inbound message (whose ordered
/// replies go first in the same burst), and from the periodic sweep, so a crashed sender's leftovers are flushed by
/// someone else.
/// </summary>
public sealed partial class WebPubSubOutboxFlusher(
    ISessionStore sessions,
    IJobStore jobs,
    OutboxPump pump,
    DeliveryLease lease,
    IConnectionHub hub,
    TimeProvider timeProvider,
    ILogger<WebPubSubOutboxFlusher> logger) : IOutboxObserver
{
    // A burst that finds the lease held leaves the work to the holder, which looks again after it lets go; these many
    // look-agains per call bound a session that never stops appending.
    private const int MaxBursts = 4;
    private readonly EnvelopeFactory _envelopes = new(timeProvider);

    /// <inheritdoc />
    public void OutboxSynced(string sessionId) => _ = Task.Run(async () =>
    {
        try
        {
            // The sync that called this already mapped the events: no subscription pull needed.
            if (await sessions.GetAsync(sessionId, CancellationToken.None).ConfigureAwait(false) is { } session)
            {
                await FlushAsync(session, pull: false, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFlushFailed(logger, ex, sessionId);
        }
    });

    /// <summary>Maps what the session's observed jobs appended elsewhere, then sends everything not yet delivered.</summary>
    public async Task FlushAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (await sessions.GetAsync(sessionId, cancellationToken).ConfigureAwait(false) is { } session)
        {
            await FlushAsync(session, pull: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends what <paramref name="session"/>'s outbox holds beyond its connection's position, under the lease. True
    /// when more may come without anything local announcing it: a subscribed job still running (or unreadable), or
    /// events left unsent because another node holds the lease; false when the session is idle and fully delivered.
    /// </summary>
    internal Task<bool> FlushAsync(SessionState session, bool pull, CancellationToken cancellationToken) =>
        session.ConnectionId is { } connectionId
            ? FlushAsync(session.SessionId, connectionId, session.DeliveredSeq, pull, cancellationToken)
            : Task.FromResult(false);

    /// <summary>
    /// <see cref="FlushAsync(SessionState, bool, CancellationToken)"/> for a session known to be attached to
    /// <paramref name="sessionConnectionId"/> from after <paramref name="attachedSeq"/>, without reading it.
    /// </summary>
    internal async Task<bool> FlushAsync(string sessionId, string sessionConnectionId, long attachedSeq, bool pull, CancellationToken cancellationToken)
    {
        if (!WebPubSubConnections.TryGetConnectionId(sessionConnectionId, out _))
        {
            return false;
        }

        var live = !pull;
        if (pull)
        {
            var subscriptions = await sessions.GetSubscriptionsAsync(sessionId, cancellationToken).ConfigureAwait(false);
            var failed = await SubscriptionPull.PullAsync(sessions, jobs, sessionId, subscriptions, cancellationToken, logger, (_, job) => live |= !job.Status.IsTerminal()).ConfigureAwait(false);
            live |= failed > 0;
        }

        return await SendOutboxAsync(sessionId, sessionConnectionId, attachedSeq, cancellationToken).ConfigureAwait(false) || live;
    }

    /// <summary>
    /// Sends what the outbox already holds beyond the connection's position, without pulling the subscribed jobs: a
    /// seq read when nothing is new. True when events were left unsent because another node holds the lease.
    /// </summary>
    internal async Task<bool> SendOutboxAsync(string sessionId, string sessionConnectionId, long attachedSeq, CancellationToken cancellationToken) =>
        !await BurstsAsync(sessionId, sessionConnectionId, attachedSeq, frames: [], wait: TimeSpan.Zero, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Sends an inbound message's ordered replies, then the outbox, in one burst. When the lease cannot be had within
    /// <paramref name="wait"/> (another node in a long burst), the replies still go out — unordered against that
    /// burst's events, never replaced by a wrong answer.
    /// </summary>
    internal async Task DeliverRepliesAsync(string sessionId, string sessionConnectionId, long attachedSeq, IReadOnlyList<byte[]> frames, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!await BurstsAsync(sessionId, sessionConnectionId, attachedSeq, frames, wait, cancellationToken).ConfigureAwait(false)
            && WebPubSubConnections.TryGetConnectionId(sessionConnectionId, out var connectionId))
        {
            LogRepliesUnordered(logger, sessionId, frames.Count);
            foreach (var frame in frames)
            {
                await hub.SendAsync(connectionId, frame, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs bursts while there is more to send; false when the first burst could not take the lease.</summary>
    private async Task<bool> BurstsAsync(string sessionId, string sessionConnectionId, long attachedSeq, IReadOnlyList<byte[]> frames, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!WebPubSubConnections.TryGetConnectionId(sessionConnectionId, out var connectionId))
        {
            return true;
        }

        for (var burst = 0; burst < MaxBursts; burst++)
        {
            var pending = frames.Count > 0 && burst == 0;
            if (!pending)
            {
                var issued = await sessions.GetLastIssuedSeqAsync(sessionId, cancellationToken).ConfigureAwait(false);
                if (issued <= await lease.KnownDeliveredSeqAsync(sessionId, sessionConnectionId, attachedSeq, cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }
            }

            // Only the burst carrying a reply (the welcome among them) may start sending to a newly attached connection.
            var held = await lease.AcquireAsync(sessionId, sessionConnectionId, attachedSeq, adopt: frames.Count > 0, burst == 0 ? wait : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (held is null)
            {
                // The holder looks again after it lets go.
                return burst > 0;
            }

            try
            {
                if (pending)
                {
                    foreach (var frame in frames)
                    {
                        await hub.SendAsync(connectionId, frame, cancellationToken).ConfigureAwait(false);
                    }
                }

                var result = await pump.PumpAsync(sessionId, new LeasedHubChannel(held, hub, connectionId), int.MaxValue, cancellationToken).ConfigureAwait(false);
                if (result.Stop == PumpStop.WindowExpired)
                {
                    LogWindowLost(logger, sessionId, held.DeliveredSeq, result.Floor);
                    var error = new ProtocolError(ErrorCode.ResumeWindowExpired, "Events this connection still needed are no longer retained.").ToSessionError();
                    await hub.SendAsync(connectionId, _envelopes.Create(sessionId, error).ToUtf8Bytes(), cancellationToken).ConfigureAwait(false);
                    await hub.CloseAsync(connectionId, "resume window expired", cancellationToken).ConfigureAwait(false);
                    return true;
                }

                if (result.Stop is PumpStop.Lost or PumpStop.NotFound)
                {
                    return true;
                }
            }
            finally
            {
                await held.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        return true;
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Flushing session {SessionId} through Web PubSub failed; the sweep retries")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Warning, Message = "Session {SessionId}: the delivery lease stayed busy; {Count} replies sent outside it")]
    private static partial void LogRepliesUnordered(ILogger logger, string sessionId, int count);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Warning, Message = "Session {SessionId} lost events after {DeliveredSeq} (floor {Floor}); closing its Web PubSub connection")]
    private static partial void LogWindowLost(ILogger logger, string sessionId, long deliveredSeq, long floor);
}

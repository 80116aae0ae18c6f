using Arcp.Protocol.Errors;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Arcp.Runtime.Supervision;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Delivery;

/// <summary>
/// Streams a connected session's outbox to its client in seq order. Woken at once by local signals (a job on this
/// node appended, a subscription changed); otherwise it polls, so events written by other nodes arrive too. It pulls
/// the outbox sync of every job the session still waits on, so a fan-out lost to a crash only delays delivery.
/// </summary>
internal sealed partial class SessionDelivery(
    ISessionStore sessions,
    IJobStore jobs,
    OutboxPump pump,
    SignalHub signals,
    SessionSender sender,
    BackPressureSignal backPressure,
    TimeProvider timeProvider,
    IOptions<ArcpSessionOptions> options,
    ILogger<SessionDelivery> logger)
{
    private const int BatchSize = OutboxPump.BatchSize;
    private static readonly TimeSpan s_maxIdlePoll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxRetry = TimeSpan.FromSeconds(5);
    private readonly ArcpSessionOptions _options = options.Value;

    /// <summary>Runs until the connection closes or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(SessionConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        IReadOnlyList<SessionSubscription>? subscriptions = null;
        var poll = _options.DeliveryPollInterval;
        var pullAll = true;
        var signalled = false;
        var backoff = new FailureBackoff(timeProvider, s_firstRetry, s_maxRetry);
        try
        {
            while (!cancellationToken.IsCancellationRequested && !connection.IsClosing)
            {
                if (!connection.IsOpen)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), timeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    // Listen before reading storage: a pulse that lands during the reads below must still wake the wait.
                    var sessionId = connection.SessionId;
                    var subscriptionsChanged = signals.WaitForAsync(SignalHub.SessionSubscriptions(sessionId));
                    var wakeUps = new List<Task> { subscriptionsChanged, signals.WaitForAsync(SignalHub.Session(sessionId)) };
                    subscriptions ??= await sessions.GetSubscriptionsAsync(sessionId, cancellationToken).ConfigureAwait(false);
                    var live = subscriptions.Where(s => !connection.FinishedJobs.Contains(s.JobId)).ToList();

                    // The fan-out of the node that appended syncs the submitter's outbox; pulling those jobs on every
                    // wake-up would only race it. Observed jobs are pulled whenever they append; everything is pulled
                    // after a quiet poll, the safety net for a fan-out lost to a crash.
                    var observed = live.Where(s => !s.IsSubmitter).ToList();
                    wakeUps.AddRange(observed.Select(s => signals.WaitForAsync(SignalHub.Job(s.JobId))));
                    await SubscriptionPull.PullAsync(sessions, jobs, sessionId, pullAll ? live : observed, cancellationToken, logger).ConfigureAwait(false);

                    var sent = await SendPendingAsync(connection, checkFirst: !signalled, cancellationToken).ConfigureAwait(false);
                    backoff.Succeeded();
                    if (sent < 0)
                    {
                        return;
                    }

                    if (sent >= BatchSize)
                    {
                        (pullAll, signalled) = (false, true);
                        continue;
                    }

                    poll = sent > 0 ? _options.DeliveryPollInterval : TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, (live.Count > 0 ? _options.DeliveryPollInterval * 4 : s_maxIdlePoll).Ticks));
                    signalled = await SignalHub.WaitAnyAsync(wakeUps, poll, timeProvider, cancellationToken).ConfigureAwait(false);
                    pullAll = !signalled || subscriptionsChanged.IsCompleted;
                    if (subscriptionsChanged.IsCompleted)
                    {
                        subscriptions = null;
                        poll = _options.DeliveryPollInterval;
                    }
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
                {
                    // Storage trouble (or a send that failed): back off and start over with a full pull. A connection
                    // that cannot be served for too long is told so and closed, so its client resumes elsewhere or later.
                    var wait = backoff.Failed();
                    if (backoff.FailingFor >= _options.DeliveryFailureLimit)
                    {
                        LogDeliveryGaveUp(logger, ex, connection.SessionId, backoff.FailingFor);
                        await GiveUpAsync(connection, cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    LogDeliveryFailed(logger, ex, connection.SessionId, backoff.Failures, wait);
                    (subscriptions, pullAll, signalled) = (null, true, false);
                    await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Transport ended.
        }
    }

    /// <summary>
    /// Sends what the outbox holds after the delivered seq; returns how many were sent, or -1 to stop. A poll first
    /// checks the seq counter (one entity) and skips the outbox read when nothing is new; after a wake-up, or a full
    /// batch, something usually is, so the check would only add a round trip.
    /// </summary>
    private async Task<int> SendPendingAsync(SessionConnection connection, bool checkFirst, CancellationToken cancellationToken)
    {
        var lastIssued = checkFirst ? await sessions.GetLastIssuedSeqAsync(connection.SessionId, cancellationToken).ConfigureAwait(false) : long.MaxValue;
        if (lastIssued <= connection.DeliveredSeq)
        {
            return 0;
        }

        await connection.SendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await pump.PumpAsync(connection.SessionId, new ConnectionChannel(connection, timeProvider), maxBatches: 1, cancellationToken).ConfigureAwait(false);
            switch (result.Stop)
            {
                case PumpStop.Drained or PumpStop.More or PumpStop.Lost:
                    if (result.Sent > 0)
                    {
                        await backPressure.CheckAsync(connection, cancellationToken).ConfigureAwait(false);
                    }

                    return result.Stop == PumpStop.Lost ? -1 : result.Sent;
                case PumpStop.WindowExpired:
                    // Acknowledged-and-swept rows below what this connection still had to send: it cannot continue gap-free.
                    LogWindowLost(logger, connection.SessionId, connection.DeliveredSeq, result.Floor);
                    await sender.SendErrorAsync(connection, new ProtocolError(ErrorCode.ResumeWindowExpired, "Events this connection still needed are no longer retained."), cancellationToken).ConfigureAwait(false);
                    await connection.Output.CloseAsync("resume window expired", cancellationToken).ConfigureAwait(false);
                    return -1;
                default:
                    return -1;
            }
        }
        finally
        {
            connection.SendGate.Release();
        }
    }

    /// <summary>Tells the client delivery failed (retryable: it may resume) and closes the transport.</summary>
    private async Task GiveUpAsync(SessionConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await sender.SendErrorAsync(connection, new ProtocolError(ErrorCode.InternalError, "Event delivery failed for too long; resume the session to continue."), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // The close below is what matters.
            LogGiveUpNotSent(logger, ex, connection.SessionId);
        }

        await connection.Output.CloseAsync("delivery failed", cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 2232, Level = LogLevel.Warning, Message = "Delivery to session {SessionId} failed ({Failures} in a row); retrying in {Delay}")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string sessionId, int failures, TimeSpan delay);

    [LoggerMessage(EventId = 2233, Level = LogLevel.Error, Message = "Delivery to session {SessionId} failed for {FailingFor}; closing the connection with a retryable error")]
    private static partial void LogDeliveryGaveUp(ILogger logger, Exception exception, string sessionId, TimeSpan failingFor);

    [LoggerMessage(EventId = 2234, Level = LogLevel.Warning, Message = "Could not tell session {SessionId} that delivery failed; closing")]
    private static partial void LogGiveUpNotSent(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 2231, Level = LogLevel.Warning, Message = "Session {SessionId} lost events after {DeliveredSeq} (floor {Floor}); closing")]
    private static partial void LogWindowLost(ILogger logger, string sessionId, long deliveredSeq, long floor);
}

using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
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
/// A session with no job left to deliver polls ever more rarely (up to
/// <see cref="ArcpSessionOptions.IdleDeliveryPollCeiling"/>): nothing reaches it without a local signal but a child
/// job delegated by a job that ran elsewhere, and that child's subscription is found when the session's last live
/// job ends (see docs/delivery.md).
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
                    // after a quiet poll, the safety net for a fan-out lost to a crash. A job the pull finds over and
                    // wholly delivered (a resumed connection's earlier jobs) is not pulled again.
                    var observed = live.Where(s => !s.IsSubmitter).ToList();
                    wakeUps.AddRange(observed.Select(s => signals.WaitForAsync(SignalHub.Job(s.JobId))));
                    await SubscriptionPull.PullAsync(sessions, jobs, sessionId, pullAll ? live : observed, cancellationToken, logger, (sub, job) => NoteIfDelivered(connection, sub, job)).ConfigureAwait(false);

                    var (sent, unknownJob) = await SendPendingAsync(connection, subscriptions, checkFirst: !signalled, cancellationToken).ConfigureAwait(false);
                    backoff.Succeeded();
                    if (sent < 0)
                    {
                        return;
                    }

                    // Subscriptions another node wrote (a child delegated by a job running there) are found here:
                    // when events of a job not yet known arrive, and when the last live job ends — a child's
                    // subscription is written before its parent's terminal, so this read finds every child.
                    if (unknownJob || (live.Count > 0 && subscriptions.All(s => connection.FinishedJobs.Contains(s.JobId))))
                    {
                        subscriptions = null;
                    }

                    if (sent >= BatchSize)
                    {
                        (pullAll, signalled) = (false, true);
                        continue;
                    }

                    poll = NextPoll(poll, sent, stillLive: subscriptions is null || live.Any(s => !connection.FinishedJobs.Contains(s.JobId)));
                    signalled = await SignalHub.WaitAnyAsync(wakeUps, poll, timeProvider, cancellationToken).ConfigureAwait(false);
                    pullAll = !signalled || subscriptionsChanged.IsCompleted;
                    if (subscriptionsChanged.IsCompleted)
                    {
                        subscriptions = null;
                    }

                    if (signalled)
                    {
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
                    (subscriptions, pullAll, signalled, poll) = (null, true, false, _options.DeliveryPollInterval);
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
    /// The wait before the next look at storage: the base interval after anything was sent; doubling while nothing
    /// arrives, up to four base intervals while a job is live (it may be running on another node, whose appends wake
    /// nobody here) and up to the idle ceiling once none is.
    /// </summary>
    private TimeSpan NextPoll(TimeSpan previous, int sent, bool stillLive)
    {
        if (sent > 0)
        {
            return _options.DeliveryPollInterval;
        }

        var ceiling = stillLive ? _options.DeliveryPollInterval * 4 : TimeSpan.FromTicks(Math.Max(_options.IdleDeliveryPollCeiling.Ticks, _options.DeliveryPollInterval.Ticks));
        return TimeSpan.FromTicks(Math.Min(previous.Ticks * 2, ceiling.Ticks));
    }

    /// <summary>Marks a subscription whose job is over and whose every event this connection already has.</summary>
    private static void NoteIfDelivered(SessionConnection connection, SessionSubscription subscription, JobState job)
    {
        if (job.Status.IsTerminal() && job.EventCount <= subscription.DeliveredIndex && subscription.LastSeq <= connection.DeliveredSeq)
        {
            connection.FinishedJobs.Add(subscription.JobId);
        }
    }

    /// <summary>
    /// Sends what the outbox holds after the delivered seq; returns how many were sent (-1 to stop) and whether any
    /// of them belongs to a job missing from <paramref name="known"/>. A poll first checks the seq counter (one
    /// entity) and skips the outbox read when nothing is new; after a wake-up, or a full batch, something usually is,
    /// so the check would only add a round trip, and what this node just synced is sent from memory. A poll (the first
    /// pass after a resume included) always reads storage, which also decides whether the connection's position is
    /// still covered.
    /// </summary>
    private async Task<(int Sent, bool UnknownJob)> SendPendingAsync(SessionConnection connection, IReadOnlyList<SessionSubscription> known, bool checkFirst, CancellationToken cancellationToken)
    {
        var lastIssued = checkFirst ? await sessions.GetLastIssuedSeqAsync(connection.SessionId, cancellationToken).ConfigureAwait(false) : long.MaxValue;
        if (lastIssued <= connection.DeliveredSeq)
        {
            return (0, false);
        }

        await connection.SendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var channel = new ConnectionChannel(connection, timeProvider);
            var result = await pump.PumpAsync(connection.SessionId, channel, maxBatches: 1, recentFirst: !checkFirst, cancellationToken).ConfigureAwait(false);
            var unknownJob = channel.SentJobs.Any(jobId => !known.Any(s => s.JobId == jobId));
            switch (result.Stop)
            {
                case PumpStop.Drained or PumpStop.More or PumpStop.Lost:
                    if (result.Sent > 0)
                    {
                        await backPressure.CheckAsync(connection, cancellationToken).ConfigureAwait(false);
                    }

                    return (result.Stop == PumpStop.Lost ? -1 : result.Sent, unknownJob);
                case PumpStop.WindowExpired:
                    // Acknowledged-and-swept rows below what this connection still had to send: it cannot continue gap-free.
                    LogWindowLost(logger, connection.SessionId, connection.DeliveredSeq, result.Floor);
                    await sender.SendErrorAsync(connection, new ProtocolError(ErrorCode.ResumeWindowExpired, "Events this connection still needed are no longer retained."), cancellationToken).ConfigureAwait(false);
                    await connection.Output.CloseAsync("resume window expired", cancellationToken).ConfigureAwait(false);
                    return (-1, false);
                default:
                    return (-1, false);
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

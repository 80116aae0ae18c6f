using Arcp.Protocol.Events;
using Arcp.Protocol.Ids;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Sessions;

/// <summary>
/// Slow-consumer signal (§6.5, as the public ARCP SDKs expect, TS style): when the unacknowledged lag exceeds the threshold, one
/// <c>status {phase: back_pressure}</c> event is appended to the session's most recent live job (clients drop
/// events without a job id); it re-arms when the lag falls to half the threshold. Only with <c>ack</c> negotiated.
/// </summary>
internal sealed class BackPressureSignal(ISessionStore sessions, IJobStore jobs, SignalHub signals, TimeProvider timeProvider, IOptions<ArcpSessionOptions> options)
{
    private readonly ArcpSessionOptions _options = options.Value;
    private readonly IdGenerator _ids = new(timeProvider);

    /// <summary>Signals (or re-arms) after the connection's delivered or acknowledged seq moved.</summary>
    public async Task CheckAsync(SessionConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!connection.Has("ack"))
        {
            return;
        }

        var lag = connection.DeliveredSeq - connection.AckedSeq;
        if (connection.BackPressureSignalled)
        {
            connection.BackPressureSignalled = lag > _options.BackPressureThreshold / 2;
            return;
        }

        if (lag <= _options.BackPressureThreshold)
        {
            return;
        }

        var live = (await sessions.GetSubscriptionsAsync(connection.SessionId, cancellationToken).ConfigureAwait(false))
            .Where(s => !connection.FinishedJobs.Contains(s.JobId))
            .OrderByDescending(s => s.LastSeq)
            .FirstOrDefault();
        var state = live is null ? null : await jobs.GetAsync(live.JobId, cancellationToken).ConfigureAwait(false);
        if (state is null || state.Sealed)
        {
            return;
        }

        connection.BackPressureSignalled = true;
        var jobEvent = NewJobEvent.Of(new StatusBody(StatusBody.BackPressure, $"consumer lag {lag} events"), timeProvider.GetUtcNow(), _ids.NewMessageId());
        for (var attempt = 0; attempt < 10 && state is { Sealed: false }; attempt++)
        {
            switch (await jobs.AppendEventsAsync(state, [jobEvent], null, cancellationToken).ConfigureAwait(false))
            {
                case AppendResult.Appended appended:
                    await sessions.SyncOutboxAsync(connection.SessionId, state.JobId, appended.State.EventCount, cancellationToken).ConfigureAwait(false);
                    signals.Pulse(SignalHub.Session(connection.SessionId));
                    return;
                case AppendResult.Conflict conflict:
                    state = conflict.Current;
                    break;
                default:
                    return;
            }
        }
    }
}

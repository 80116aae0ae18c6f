using System.Collections.Concurrent;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Arcp.Runtime.Supervision;
using Microsoft.Extensions.Logging;

namespace Arcp.Runtime.Delivery;

/// <summary>
/// After a job append, maps the new events into the submitting session's outbox and wakes local readers. One sync
/// per session runs at a time on this node, and it maps every job of the session that appended meanwhile in one
/// transaction: jobs streaming into one session share the seq counter's round trip instead of racing for its row.
/// Observers (subscribers) pull their own syncs when woken, so a lost fan-out only delays delivery: every sync is
/// idempotent and can be redone by anyone. A failed sync is handed to <see cref="OutboxSyncRepair"/>, which retries
/// it and leaves a mark for the sweeper. Only sessions with a sync in flight are tracked, so the map stays as small as
/// the work in progress.
/// </summary>
public sealed partial class OutboxFanout(ISessionStore sessions, SignalHub signals, IEnumerable<IOutboxObserver> observers, ILogger<OutboxFanout> logger, OutboxSyncRepair? repair = null)
{
    private readonly IOutboxObserver[] _observers = [.. observers];

    private readonly ConcurrentDictionary<string, SessionSync> _syncs = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="state"/>'s events are durable; returns at once.</summary>
    public void JobAppended(JobState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var sessionId = state.Definition.SubmitterSessionId;
        while (true)
        {
            var sync = _syncs.GetOrAdd(sessionId, _ => new SessionSync());
            bool start;
            lock (sync)
            {
                if (sync.Retired)
                {
                    // Its run just ended and left the map: take a fresh entry.
                    continue;
                }

                var job = sync.Jobs.TryGetValue(state.JobId, out var known) ? known : sync.Jobs[state.JobId] = new JobMark();
                job.LatestCount = Math.Max(job.LatestCount, state.EventCount);
                start = !sync.Running;
                sync.Running = true;
            }

            signals.Pulse(SignalHub.Job(state.JobId));
            if (start)
            {
                _ = Task.Run(() => RunAsync(sessionId, sync));
            }

            return;
        }
    }

    /// <summary>Sessions with a sync in flight.</summary>
    internal int Tracked => _syncs.Count;

    /// <summary>Waits until the submitter's outbox covers every event reported so far for <paramref name="jobId"/> (tests, shutdown).</summary>
    public async Task DrainAsync(string jobId, CancellationToken cancellationToken)
    {
        while (_syncs.Values.Any(sync => IsPending(sync, jobId)))
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsPending(SessionSync sync, string jobId)
    {
        lock (sync)
        {
            return !sync.Retired && sync.Jobs.TryGetValue(jobId, out var job) && (job.InFlight || job.SyncedCount < job.LatestCount);
        }
    }

    private async Task RunAsync(string sessionId, SessionSync sync)
    {
        while (true)
        {
            List<OutboxSyncTarget> targets;
            lock (sync)
            {
                targets = [.. sync.Jobs.Where(j => j.Value.SyncedCount < j.Value.LatestCount).Select(j => new OutboxSyncTarget(j.Key, j.Value.LatestCount))];
                if (targets.Count == 0)
                {
                    // Nothing in flight any more: forget the session (a later append starts afresh; syncs are idempotent).
                    sync.Running = false;
                    sync.Retired = true;
                    _syncs.TryRemove(new KeyValuePair<string, SessionSync>(sessionId, sync));
                    return;
                }

                foreach (var target in targets)
                {
                    sync.Jobs[target.JobId].InFlight = true;
                }
            }

            try
            {
                await sessions.SyncOutboxAsync(sessionId, targets, CancellationToken.None).ConfigureAwait(false);
                signals.Pulse(SignalHub.Session(sessionId));
                foreach (var observer in _observers)
                {
                    observer.OutboxSynced(sessionId);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Storage trouble: the repair retries and marks it for the sweeper; never lose a job over it.
                foreach (var target in targets)
                {
                    LogSyncFailed(logger, ex, target.JobId, sessionId);
                    repair?.SyncFailed(sessionId, target.JobId);
                }
            }

            lock (sync)
            {
                foreach (var target in targets)
                {
                    var job = sync.Jobs[target.JobId];
                    job.InFlight = false;
                    job.SyncedCount = Math.Max(job.SyncedCount, target.JobEventCount);
                    if (job.SyncedCount >= job.LatestCount)
                    {
                        sync.Jobs.Remove(target.JobId);
                    }
                }
            }
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Outbox sync of job {JobId} into session {SessionId} failed; retrying in the background")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, string jobId, string sessionId);

    private sealed class SessionSync
    {
        /// <summary>Jobs of the session with events not yet known to be in its outbox.</summary>
        public Dictionary<string, JobMark> Jobs { get; } = new(StringComparer.Ordinal);

        public bool Running { get; set; }

        /// <summary>Removed from the map; appends must take a new entry.</summary>
        public bool Retired { get; set; }
    }

    private sealed class JobMark
    {
        public long LatestCount { get; set; }

        public long SyncedCount { get; set; }

        public bool InFlight { get; set; }
    }
}

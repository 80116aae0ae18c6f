using System.Collections.Concurrent;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Arcp.Runtime.Supervision;
using Microsoft.Extensions.Logging;

namespace Arcp.Runtime.Delivery;

/// <summary>
/// After a job append, maps the new events into the submitting session's outbox and wakes local readers. One sync
/// per job runs at a time; appends that land meanwhile are folded into the next sync. Observers (subscribers) pull
/// their own syncs when woken, so a lost fan-out only delays delivery: every sync is idempotent and can be redone
/// by anyone. A failed sync is handed to <see cref="OutboxSyncRepair"/>, which retries it and leaves a mark for the sweeper.
/// Only jobs with a sync in flight are tracked, so the map stays as small as the work in progress.
/// </summary>
public sealed partial class OutboxFanout(ISessionStore sessions, SignalHub signals, IEnumerable<IOutboxObserver> observers, ILogger<OutboxFanout> logger, OutboxSyncRepair? repair = null)
{
    private readonly IOutboxObserver[] _observers = [.. observers];

    private readonly ConcurrentDictionary<string, JobSync> _syncs = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="state"/>'s events are durable; returns at once.</summary>
    public void JobAppended(JobState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        while (true)
        {
            var sync = _syncs.GetOrAdd(state.JobId, _ => new JobSync());
            bool start;
            lock (sync)
            {
                if (sync.Retired)
                {
                    // Its run just ended and left the map: take a fresh entry.
                    continue;
                }

                sync.LatestCount = Math.Max(sync.LatestCount, state.EventCount);
                start = !sync.Running;
                sync.Running = true;
            }

            signals.Pulse(SignalHub.Job(state.JobId));
            if (start)
            {
                _ = Task.Run(() => RunAsync(state.JobId, state.Definition.SubmitterSessionId, sync));
            }

            return;
        }
    }

    /// <summary>Jobs with a sync in flight.</summary>
    internal int Tracked => _syncs.Count;

    /// <summary>Waits until the submitter's outbox covers every event reported so far for <paramref name="jobId"/> (tests, shutdown).</summary>
    public async Task DrainAsync(string jobId, CancellationToken cancellationToken)
    {
        while (_syncs.TryGetValue(jobId, out var sync))
        {
            lock (sync)
            {
                if (!sync.Running)
                {
                    return;
                }
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(string jobId, string sessionId, JobSync sync)
    {
        while (true)
        {
            long target;
            lock (sync)
            {
                if (sync.SyncedCount >= sync.LatestCount)
                {
                    // Nothing in flight any more: forget the job (a later append starts afresh; syncs are idempotent).
                    sync.Running = false;
                    sync.Retired = true;
                    _syncs.TryRemove(new KeyValuePair<string, JobSync>(jobId, sync));
                    return;
                }

                target = sync.LatestCount;
            }

            try
            {
                await sessions.SyncOutboxAsync(sessionId, jobId, target, CancellationToken.None).ConfigureAwait(false);
                signals.Pulse(SignalHub.Session(sessionId));
                foreach (var observer in _observers)
                {
                    observer.OutboxSynced(sessionId);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Storage trouble: the repair retries and marks it for the sweeper; never lose the job over it.
                LogSyncFailed(logger, ex, jobId, sessionId);
                repair?.SyncFailed(sessionId, jobId);
            }

            lock (sync)
            {
                sync.SyncedCount = Math.Max(sync.SyncedCount, target);
            }
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Outbox sync of job {JobId} into session {SessionId} failed; retrying in the background")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, string jobId, string sessionId);

    private sealed class JobSync
    {
        public long LatestCount { get; set; }

        public long SyncedCount { get; set; }

        public bool Running { get; set; }

        /// <summary>Removed from the map; appends must take a new entry.</summary>
        public bool Retired { get; set; }
    }
}

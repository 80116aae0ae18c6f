using System.Collections.Concurrent;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.Logging;

namespace Arcp.Runtime.Delivery;

/// <summary>
/// Takes over an outbox sync that failed, so its events reach the session without waiting for a reader to pull them
/// (a reader may be detached, or busy with other jobs). It marks the sync as owed in storage, retries it with backoff
/// for about a minute, and clears the mark once it succeeds; a mark left behind (this process died, storage stayed
/// down) is repaired by the sweeper through <see cref="RepairMarkedAsync"/>. Every sync is idempotent, so a retry
/// racing a reader's pull or another node's repair maps each event once.
/// </summary>
public sealed partial class OutboxSyncRepair(
    ISessionStore sessions,
    IJobStore jobs,
    IOutboxSyncMarks marks,
    SignalHub signals,
    IEnumerable<IOutboxObserver> observers,
    TimeProvider timeProvider,
    ILogger<OutboxSyncRepair> logger)
{
    private static readonly TimeSpan[] s_retryDelays =
        [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)];

    private readonly IOutboxObserver[] _observers = [.. observers];
    private readonly ConcurrentDictionary<OutboxSyncMark, byte> _retrying = new();

    /// <summary>Records that syncing <paramref name="jobId"/> into <paramref name="sessionId"/> failed; retries in the background.</summary>
    public void SyncFailed(string sessionId, string jobId)
    {
        var key = new OutboxSyncMark(sessionId, jobId);
        if (_retrying.TryAdd(key, 0))
        {
            _ = Task.Run(() => RetryAsync(key));
        }
    }

    /// <summary>Waits until no background retry runs (tests).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (!_retrying.IsEmpty)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Re-syncs up to <paramref name="maxCount"/> owed outboxes; returns how many were synced.</summary>
    public async Task<int> RepairMarkedAsync(int maxCount, CancellationToken cancellationToken)
    {
        var repaired = 0;
        foreach (var mark in await marks.ListAsync(maxCount, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await SyncAsync(mark, cancellationToken).ConfigureAwait(false);
                await marks.ClearAsync(mark.SessionId, mark.JobId, cancellationToken).ConfigureAwait(false);
                repaired++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogRepairFailed(logger, ex, mark.JobId, mark.SessionId);
            }
        }

        return repaired;
    }

    private async Task RetryAsync(OutboxSyncMark key)
    {
        try
        {
            var marked = false;
            foreach (var delay in s_retryDelays)
            {
                marked = marked || await TryAsync(() => marks.MarkAsync(key.SessionId, key.JobId, CancellationToken.None)).ConfigureAwait(false);
                await Task.Delay(delay, timeProvider, CancellationToken.None).ConfigureAwait(false);
                if (await TryAsync(() => SyncAsync(key, CancellationToken.None)).ConfigureAwait(false))
                {
                    if (marked)
                    {
                        // A mark that cannot be cleared now only costs the sweeper one idempotent sync.
                        await TryAsync(() => marks.ClearAsync(key.SessionId, key.JobId, CancellationToken.None)).ConfigureAwait(false);
                    }

                    return;
                }
            }

            LogHandedToSweeper(logger, key.JobId, key.SessionId, marked);
        }
        finally
        {
            _retrying.TryRemove(key, out _);
        }
    }

    /// <summary>Maps everything the job holds now into the session's outbox and wakes its readers.</summary>
    private async Task SyncAsync(OutboxSyncMark mark, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(mark.JobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return;
        }

        var result = await sessions.SyncOutboxAsync(mark.SessionId, mark.JobId, job.EventCount, cancellationToken).ConfigureAwait(false);
        if (result is OutboxSyncResult.Synced { Added: > 0 })
        {
            signals.Pulse(SignalHub.Session(mark.SessionId));
            foreach (var observer in _observers)
            {
                observer.OutboxSynced(mark.SessionId);
            }
        }
    }

    private async Task<bool> TryAsync(Func<Task> operation)
    {
        try
        {
            await operation().ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRetryFailed(logger, ex);
            return false;
        }
    }

    [LoggerMessage(EventId = 2302, Level = LogLevel.Debug, Message = "Outbox sync retry failed; retrying with backoff")]
    private static partial void LogRetryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Outbox sync of job {JobId} into session {SessionId} still failing after its retries; left to the sweeper (marked: {Marked})")]
    private static partial void LogHandedToSweeper(ILogger logger, string jobId, string sessionId, bool marked);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Warning, Message = "Sweeper could not re-sync job {JobId} into session {SessionId}; the next sweep retries")]
    private static partial void LogRepairFailed(ILogger logger, Exception exception, string jobId, string sessionId);
}

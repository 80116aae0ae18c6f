using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Sessions;

/// <summary>
/// The per-principal session cap (§14), counted in storage so it holds however many nodes serve the principal. A
/// principal's row lists its attached sessions; when it is full, entries whose session is gone, detached, or silent
/// beyond the idle limit (a node that crashed without detaching) are dropped before the new session is refused.
/// </summary>
/// <remarks>
/// The row is one conditional write per change, so many sessions of one principal opening or closing at once (a
/// node restarting, a client closing its pool) would each read, lose the race and retry. Changes for one principal
/// on this node are therefore applied in batches: whatever arrives while a write is in flight goes into the next
/// one, so a hundred closes cost a handful of writes instead of a hundred contended ones.
/// </remarks>
internal sealed class SessionCap(IPrincipalSlotStore slots, ISessionStore sessions, TimeProvider timeProvider, IOptions<ArcpSessionOptions> options)
{
    private const int MaxAttempts = 20;
    private readonly Dictionary<string, List<SlotChange>> _pending = new(StringComparer.Ordinal);

    /// <summary>Counts <paramref name="sessionId"/> for <paramref name="principal"/> unless that would exceed <paramref name="limit"/>.</summary>
    public Task<bool> TryTakeAsync(string principal, string sessionId, int limit, CancellationToken cancellationToken) =>
        EnqueueAsync(principal, new SlotChange(sessionId, limit), cancellationToken);

    /// <summary>Stops counting <paramref name="sessionId"/>.</summary>
    public Task ReleaseAsync(string principal, string sessionId, CancellationToken cancellationToken) =>
        EnqueueAsync(principal, new SlotChange(sessionId, Limit: null), cancellationToken);

    private Task<bool> EnqueueAsync(string principal, SlotChange change, CancellationToken cancellationToken)
    {
        bool first;
        lock (_pending)
        {
            first = !_pending.TryGetValue(principal, out var queue);
            if (first)
            {
                _pending[principal] = queue = [];
            }

            queue!.Add(change);
        }

        if (first)
        {
            // The batch outlives any one caller's cancellation: the others wait on it too.
            _ = Task.Run(() => DrainAsync(principal), CancellationToken.None);
        }

        return change.Outcome.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes this principal's queued changes, batch after batch, until none are left.</summary>
    private async Task DrainAsync(string principal)
    {
        while (true)
        {
            List<SlotChange> batch;
            lock (_pending)
            {
                batch = _pending[principal];
                if (batch.Count == 0)
                {
                    _pending.Remove(principal);
                    return;
                }

                _pending[principal] = [];
            }

            try
            {
                var outcomes = await ApplyAsync(principal, batch).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Outcome.TrySetResult(outcomes[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var change in batch)
                {
                    change.Outcome.TrySetException(ex);
                }
            }
        }
    }

    private async Task<bool[]> ApplyAsync(string principal, List<SlotChange> batch)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await slots.GetAsync(principal, CancellationToken.None).ConfigureAwait(false);
            var ids = current.SessionIds.ToList();
            var outcomes = new bool[batch.Count];
            var pruned = false;
            for (var i = 0; i < batch.Count; i++)
            {
                var change = batch[i];
                if (change.Limit is not { } limit)
                {
                    outcomes[i] = ids.Remove(change.SessionId);
                    continue;
                }

                if (ids.Contains(change.SessionId, StringComparer.Ordinal))
                {
                    outcomes[i] = true;
                    continue;
                }

                if (ids.Count >= limit && !pruned)
                {
                    // Sessions taken earlier in this batch have no row yet: only the stored entries are checked.
                    var takenHere = ids.Except(current.SessionIds, StringComparer.Ordinal).ToList();
                    ids = [.. await LiveAsync(ids.Except(takenHere, StringComparer.Ordinal).ToList()).ConfigureAwait(false), .. takenHere];
                    pruned = true;
                }

                if (ids.Count < limit)
                {
                    ids.Add(change.SessionId);
                    outcomes[i] = true;
                }
            }

            if (ids.SequenceEqual(current.SessionIds, StringComparer.Ordinal) || await slots.TryWriteAsync(current, ids, CancellationToken.None).ConfigureAwait(false))
            {
                return outcomes;
            }

            await Storage.ConflictBackoff.DelayAsync(attempt, CancellationToken.None).ConfigureAwait(false);
        }

        // The row stayed contended throughout: new sessions are refused (the client may retry), releases are left
        // to the pruning of detached sessions the next time the row is full.
        return new bool[batch.Count];
    }

    private async Task<List<string>> LiveAsync(List<string> ids)
    {
        var now = timeProvider.GetUtcNow();
        var live = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            var session = await sessions.GetAsync(id, CancellationToken.None).ConfigureAwait(false);
            if (session is { ConnectionId: not null } && now - (session.LastInboundAt ?? session.CreatedAt) <= options.Value.IdleDisconnectAfter)
            {
                live.Add(id);
            }
        }

        return live;
    }

    /// <summary>One queued change: a take with its limit, or a release (no limit).</summary>
    private sealed record SlotChange(string SessionId, int? Limit)
    {
        public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

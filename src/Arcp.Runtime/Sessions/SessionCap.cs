using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Sessions;

/// <summary>
/// The per-principal session cap (§14), counted in storage so it holds however many nodes serve the principal. A
/// principal's row lists its attached sessions; when it is full, entries whose session is gone, detached, or silent
/// beyond the idle limit (a node that crashed without detaching) are dropped before the new session is refused.
/// </summary>
internal sealed class SessionCap(IPrincipalSlotStore slots, ISessionStore sessions, TimeProvider timeProvider, IOptions<ArcpSessionOptions> options)
{
    private const int MaxAttempts = 20;

    /// <summary>Counts <paramref name="sessionId"/> for <paramref name="principal"/> unless that would exceed <paramref name="limit"/>.</summary>
    public async Task<bool> TryTakeAsync(string principal, string sessionId, int limit, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await slots.GetAsync(principal, cancellationToken).ConfigureAwait(false);
            if (current.SessionIds.Contains(sessionId, StringComparer.Ordinal))
            {
                return true;
            }

            var ids = current.SessionIds.ToList();
            if (ids.Count >= limit)
            {
                ids = await LiveAsync(ids, cancellationToken).ConfigureAwait(false);
                if (ids.Count >= limit)
                {
                    return false;
                }
            }

            ids.Add(sessionId);
            if (await slots.TryWriteAsync(current, ids, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            await Storage.ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>Stops counting <paramref name="sessionId"/>.</summary>
    public async Task ReleaseAsync(string principal, string sessionId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await slots.GetAsync(principal, cancellationToken).ConfigureAwait(false);
            if (!current.SessionIds.Contains(sessionId, StringComparer.Ordinal))
            {
                return;
            }

            if (await slots.TryWriteAsync(current, current.SessionIds.Where(id => id != sessionId).ToList(), cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await Storage.ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<string>> LiveAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var live = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            var session = await sessions.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (session is { ConnectionId: not null } && now - (session.LastInboundAt ?? session.CreatedAt) <= options.Value.IdleDisconnectAfter)
            {
                live.Add(id);
            }
        }

        return live;
    }
}

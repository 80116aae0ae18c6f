using Arcp.Runtime.Sessions;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// The short conditional-write lease that makes exactly one node at a time send a Web PubSub session's frames, so
/// they leave in order however many nodes handle its messages or append to its jobs. The lease lives on the session
/// <c>meta</c> row, together with the seq delivered so far.
/// </summary>
internal sealed class SessionDeliveryLease(ISessionStore sessions, TimeProvider timeProvider)
{
    private static readonly TimeSpan s_duration = TimeSpan.FromSeconds(10);
    private static readonly string s_node = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// Takes the lease, waiting up to <paramref name="wait"/> for another holder (on this node or another); returns the
    /// session as written with the lease — its <see cref="SessionState.DeliveryOwner"/> is the holder's token — or null
    /// (no such session, or still held).
    /// </summary>
    public async Task<SessionState?> AcquireAsync(string sessionId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var token = $"{s_node}:{Guid.NewGuid():N}";
        var deadline = timeProvider.GetUtcNow() + wait;
        while (true)
        {
            var session = await sessions.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return null;
            }

            var now = timeProvider.GetUtcNow();
            var held = session.DeliveryOwner is not null && session.DeliveryLeaseUntil > now;
            if (!held)
            {
                var acquired = await sessions.TryUpdateAsync(session, session with { DeliveryOwner = token, DeliveryLeaseUntil = now + s_duration }, cancellationToken).ConfigureAwait(false);
                if (acquired is not null)
                {
                    return acquired;
                }
            }

            if (now >= deadline)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(15), timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives the lease of <paramref name="held"/> back, recording what was delivered (and, when given, the last inbound time).</summary>
    public async Task ReleaseAsync(SessionState held, long deliveredSeq, DateTimeOffset? lastInboundAt, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var session = await sessions.GetAsync(held.SessionId, cancellationToken).ConfigureAwait(false);
            if (session is null || session.DeliveryOwner != held.DeliveryOwner)
            {
                return;
            }

            var released = session with
            {
                DeliveryOwner = null,
                DeliveryLeaseUntil = null,
                DeliveredSeq = Math.Max(session.DeliveredSeq, deliveredSeq),
                LastInboundAt = lastInboundAt ?? session.LastInboundAt,
            };
            if (await sessions.TryUpdateAsync(session, released, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }
    }
}

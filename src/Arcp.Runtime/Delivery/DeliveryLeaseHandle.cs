namespace Arcp.Runtime.Delivery;

/// <summary>
/// One burst's hold on a session's delivery lease. <see cref="EnsureHeldAsync"/> runs before every frame: a local
/// clock check, and a renewal (one conditional write, carrying the progress) once a third of the lease has passed.
/// A burst stops when the renewal finds the row changed, or when the lease could not be renewed in time.
/// </summary>
public sealed class DeliveryLeaseHandle
{
    private readonly DeliveryLease _lease;
    private DeliveryLeaseRecord _held;
    private DateTimeOffset _renewAt;
    private bool _released;

    internal DeliveryLeaseHandle(DeliveryLease lease, DeliveryLeaseRecord held, DateTimeOffset writtenAt)
    {
        _lease = lease;
        _held = held;
        _renewAt = writtenAt + (lease.Duration / 3);
        DeliveredSeq = held.DeliveredSeq;
    }

    /// <summary>The session.</summary>
    public string SessionId => _held.SessionId;

    /// <summary>The connection this burst sends to (null for a take-over that sends nothing).</summary>
    public string? ConnectionId => _held.ConnectionId;

    /// <summary>Highest seq sent to <see cref="ConnectionId"/> so far.</summary>
    public long DeliveredSeq { get; private set; }

    /// <summary>True once the lease was found taken over or expired; nothing more may be sent.</summary>
    public bool IsLost { get; private set; }

    /// <summary>Records that <paramref name="seq"/> was sent.</summary>
    public void Advance(long seq) => DeliveredSeq = Math.Max(DeliveredSeq, seq);

    /// <summary>True while this burst may send the next frame; renews the lease when due.</summary>
    public async ValueTask<bool> EnsureHeldAsync(CancellationToken cancellationToken)
    {
        if (IsLost || _released)
        {
            return false;
        }

        var now = _lease.Clock.GetUtcNow();
        if (now < _renewAt)
        {
            return true;
        }

        try
        {
            var renewed = await _lease.RenewAsync(_held, DeliveredSeq, now, cancellationToken).ConfigureAwait(false);
            if (renewed is null)
            {
                IsLost = true;
                return false;
            }

            _held = renewed;
            _renewAt = now + (_lease.Duration / 3);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Storage trouble: keep sending only while a good margin of the lease is left, then give up the burst.
            if (now >= _held.Until - (_lease.Duration / 3))
            {
                IsLost = true;
                throw;
            }

            return true;
        }
    }

    /// <summary>Frees the lease with the progress made (no-op when lost: the row is someone else's now).</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_released)
        {
            return;
        }

        _released = true;
        if (!IsLost)
        {
            await _lease.ReleaseAsync(_held, DeliveredSeq, cancellationToken).ConfigureAwait(false);
        }
    }
}

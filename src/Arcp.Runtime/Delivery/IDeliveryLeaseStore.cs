namespace Arcp.Runtime.Delivery;

/// <summary>The delivery row of each session: one conditional write decides who sends.</summary>
public interface IDeliveryLeaseStore
{
    /// <summary>The row, or null when the session never had one.</summary>
    Task<DeliveryLeaseRecord?> GetAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="updated"/> if the row still has <paramref name="expected"/>'s version (an empty version:
    /// only if no row exists). Returns the row as written, or null when someone else wrote first.
    /// </summary>
    Task<DeliveryLeaseRecord?> TryWriteAsync(DeliveryLeaseRecord expected, DeliveryLeaseRecord updated, CancellationToken cancellationToken);
}

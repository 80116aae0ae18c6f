using System.Collections.Concurrent;
using System.Globalization;

namespace Arcp.Runtime.Delivery;

/// <summary>In-memory <see cref="IDeliveryLeaseStore"/> (tests, single process).</summary>
internal sealed class InMemoryDeliveryLeaseStore : IDeliveryLeaseStore
{
    private readonly ConcurrentDictionary<string, DeliveryLeaseRecord> _rows = new(StringComparer.Ordinal);
    private long _version;

    /// <inheritdoc />
    public Task<DeliveryLeaseRecord?> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        Task.FromResult(_rows.TryGetValue(sessionId, out var row) ? row : null);

    /// <inheritdoc />
    public Task<DeliveryLeaseRecord?> TryWriteAsync(DeliveryLeaseRecord expected, DeliveryLeaseRecord updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        var written = updated with { SessionId = expected.SessionId, Version = Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture) };
        lock (_rows)
        {
            var exists = _rows.TryGetValue(expected.SessionId, out var current);
            if (expected.Version.Length == 0 ? exists : !exists || current!.Version != expected.Version)
            {
                return Task.FromResult<DeliveryLeaseRecord?>(null);
            }

            _rows[expected.SessionId] = written;
        }

        return Task.FromResult<DeliveryLeaseRecord?>(written);
    }
}

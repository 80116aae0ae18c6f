using System.Collections.Concurrent;
using System.Globalization;

namespace Arcp.Runtime.Sessions;

/// <summary>In-memory <see cref="IPrincipalSlotStore"/> (tests, single process).</summary>
internal sealed class InMemoryPrincipalSlotStore : IPrincipalSlotStore
{
    private readonly ConcurrentDictionary<string, PrincipalSlots> _rows = new(StringComparer.Ordinal);
    private long _version;

    /// <inheritdoc />
    public Task<PrincipalSlots> GetAsync(string principal, CancellationToken cancellationToken) =>
        Task.FromResult(_rows.TryGetValue(principal, out var row) ? row : new PrincipalSlots(principal, [], ""));

    /// <inheritdoc />
    public Task<bool> TryWriteAsync(PrincipalSlots expected, IReadOnlyList<string> sessionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        lock (_rows)
        {
            var current = _rows.TryGetValue(expected.Principal, out var row) ? row.Version : "";
            if (current != expected.Version)
            {
                return Task.FromResult(false);
            }

            _rows[expected.Principal] = new PrincipalSlots(expected.Principal, [.. sessionIds], Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture));
            return Task.FromResult(true);
        }
    }
}

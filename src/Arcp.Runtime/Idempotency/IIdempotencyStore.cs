namespace Arcp.Runtime.Idempotency;

/// <summary>Idempotency keys by conditional insert: of many concurrent submissions with one key, exactly one inserts.</summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Inserts <paramref name="record"/> unless the key exists. Returns the record that decides the key: the new one
    /// when this call won, else the existing one (compare its parameters hash to tell replay from conflict).
    /// </summary>
    Task<IdempotencyReservation> ReserveAsync(IdempotencyRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Frees <paramref name="key"/> of <paramref name="principal"/> if it still decides <paramref name="jobId"/> (a
    /// submission that could not complete), so a retry with the same key submits anew. Idempotent.
    /// </summary>
    Task ReleaseAsync(string principal, string key, string jobId, CancellationToken cancellationToken);

    /// <summary>Removes keys created before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> SweepAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}

/// <summary>Result of <see cref="IIdempotencyStore.ReserveAsync"/>.</summary>
/// <param name="Record">The record that owns the key.</param>
/// <param name="Won">True when this call inserted it.</param>
public sealed record IdempotencyReservation(IdempotencyRecord Record, bool Won);

namespace Arcp.Runtime.Sessions;

/// <summary>One row per principal listing its attached sessions, so the per-principal cap holds across nodes.</summary>
internal interface IPrincipalSlotStore
{
    /// <summary>The principal's row; an empty list with an empty version when it has none.</summary>
    Task<PrincipalSlots> GetAsync(string principal, CancellationToken cancellationToken);

    /// <summary>Replaces the list if the row still has <paramref name="expected"/>'s version; false when it changed.</summary>
    Task<bool> TryWriteAsync(PrincipalSlots expected, IReadOnlyList<string> sessionIds, CancellationToken cancellationToken);
}

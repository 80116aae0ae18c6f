namespace Arcp.Runtime.Jobs;

/// <summary>
/// Jobs by submitter principal, ordered by job id (time-ordered ULIDs, so equal <c>created_at</c> values still have
/// one stable order). Paging is keyset: a page starts strictly after the last job id of the previous one, so a cursor
/// stays valid when the job it names disappears.
/// </summary>
public interface IPrincipalJobIndex
{
    /// <summary>Adds the job (idempotent: re-adding the same job changes nothing).</summary>
    Task AddAsync(JobIndexEntry entry, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> entries of <paramref name="principal"/> with job id greater than <paramref name="afterJobId"/>.</summary>
    Task<IReadOnlyList<JobIndexEntry>> ListAsync(string principal, string? afterJobId, int limit, CancellationToken cancellationToken);

    /// <summary>Removes a job (retention sweep).</summary>
    Task RemoveAsync(string principal, string jobId, CancellationToken cancellationToken);
}

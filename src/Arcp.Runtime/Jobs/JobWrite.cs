using System.Security.Cryptography;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// One logical write to a job partition: a commit id stored with what it wrote, so a retry of a commit whose reply
/// was lost is recognised as done instead of applied twice, and, for a runner, the claim the write is fenced on.
/// Retry the same logical write with the same instance.
/// </summary>
public sealed record JobWrite(string CommitId, JobClaim? Claim)
{
    /// <summary>A write by someone who holds no claim (a cancel, the orchestration ending the job).</summary>
    public static JobWrite Unfenced() => new(NewCommitId(), null);

    /// <summary>A runner's write, refused once <paramref name="claim"/> is no longer the job's.</summary>
    public static JobWrite FencedBy(JobClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return new(NewCommitId(), claim);
    }

    /// <summary>
    /// A runner's first write, carrying its claim: the claim was decided (<see cref="IJobStore.PrepareClaimAsync"/>) but is
    /// not stored yet, so the commit stores it along with what it writes, holding the job until
    /// <paramref name="leaseExpiresAt"/>. Refused like a fenced write once another claim took the job meanwhile.
    /// </summary>
    public static JobWrite Claiming(JobClaim claim, DateTimeOffset leaseExpiresAt)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return new(NewCommitId(), claim) { PendingClaimLease = leaseExpiresAt };
    }

    /// <summary>Set while <see cref="Claim"/> is not stored yet: until when the claim holds the job once this write stores it.</summary>
    public DateTimeOffset? PendingClaimLease { get; init; }

    /// <summary>True when this write is fenced and <paramref name="state"/> records another claim.</summary>
    public bool IsFencedOut(JobState state) => Claim is not null && !Claim.Holds(state);

    /// <summary>True when <paramref name="state"/> already carries this write.</summary>
    public bool IsIn(JobState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.RecentCommits.Contains(CommitId, StringComparer.Ordinal);
    }

    private static string NewCommitId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}

namespace Arcp.Runtime.Jobs;

/// <summary>
/// The runner's claim is no longer the job's (it was paused past its lease and another worker took the job over):
/// nothing it writes is accepted any more, and it stops its agent without ending the job.
/// </summary>
internal sealed class JobClaimLostException : Exception
{
    /// <summary>Creates the exception for <paramref name="claim"/>.</summary>
    public JobClaimLostException(JobClaim claim)
        : base($"Job {claim?.JobId} is no longer held by {claim?.Owner} (attempt {claim?.Attempt}).")
    {
        ArgumentNullException.ThrowIfNull(claim);
        JobId = claim.JobId;
    }

    /// <summary>Creates the exception.</summary>
    public JobClaimLostException() { }

    /// <summary>Creates the exception.</summary>
    public JobClaimLostException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public JobClaimLostException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The job.</summary>
    public string JobId { get; } = "";
}

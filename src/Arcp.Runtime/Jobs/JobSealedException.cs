using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Jobs;

/// <summary>The job already has its terminal event: nothing more may be appended. Agents stop when they see this.</summary>
internal sealed class JobSealedException : Exception
{
    /// <summary>Creates the exception for <paramref name="jobId"/>.</summary>
    public JobSealedException(string jobId, JobStatus status)
        : base($"Job {jobId} already ended as {status.ToWireName()}.")
    {
        JobId = jobId;
        Status = status;
    }

    /// <summary>Creates the exception.</summary>
    public JobSealedException() { }

    /// <summary>Creates the exception.</summary>
    public JobSealedException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public JobSealedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The sealed job.</summary>
    public string JobId { get; } = "";

    /// <summary>Its terminal status.</summary>
    public JobStatus Status { get; }
}

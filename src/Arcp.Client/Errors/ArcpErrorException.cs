using System.Text.Json;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;

namespace Arcp.Client.Errors;

/// <summary>An ARCP error reported by the runtime (<c>session.error</c> or a failed job's <c>job.error</c>).</summary>
public class ArcpErrorException : Exception
{
    /// <summary>Initializes an <c>INTERNAL_ERROR</c> exception.</summary>
    public ArcpErrorException()
        : this(ErrorCode.InternalError, "Internal error.")
    {
    }

    /// <summary>Initializes an <c>INTERNAL_ERROR</c> exception with a message.</summary>
    public ArcpErrorException(string message)
        : this(ErrorCode.InternalError, message)
    {
    }

    /// <summary>Initializes an <c>INTERNAL_ERROR</c> exception with a message and inner exception.</summary>
    public ArcpErrorException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = ErrorCode.InternalError;
        Retryable = true;
    }

    /// <summary>Initializes an exception with the given code, message and context.</summary>
    public ArcpErrorException(ErrorCode code, string message, bool? retryable = null, JsonElement? details = null, string? jobId = null, JobStatus? finalStatus = null)
        : base(message)
    {
        Code = code;
        Retryable = retryable ?? code.IsRetryable();
        Details = details;
        JobId = jobId;
        FinalStatus = finalStatus;
    }

    /// <summary>Gets the ARCP error code.</summary>
    public ErrorCode Code { get; }

    /// <summary>Gets whether the runtime marked the failure as retryable.</summary>
    public bool Retryable { get; }

    /// <summary>Gets the optional <c>details</c> object.</summary>
    public JsonElement? Details { get; }

    /// <summary>Gets the job the error concerns, when it concerns one.</summary>
    public string? JobId { get; }

    /// <summary>Gets the final status of a failed job (<c>error</c>, <c>cancelled</c>, <c>timed_out</c>); null for session errors.</summary>
    public JobStatus? FinalStatus { get; }

    /// <summary>Gets the wire name of <see cref="Code"/>, e.g. <c>AGENT_NOT_AVAILABLE</c>.</summary>
    public string CodeName => Code.ToWireName();

    internal static ArcpErrorException From(SessionError error) =>
        error.Code == ErrorCode.ResumeWindowExpired
            ? new ResumeWindowExpiredException(error.Message, error.Details)
            : new ArcpErrorException(error.Code, error.Message, error.Retryable, error.Details);

    internal static ArcpErrorException From(JobError error) =>
        new(error.Code, error.Message, error.Retryable, error.Details, error.JobId, error.FinalStatus);
}

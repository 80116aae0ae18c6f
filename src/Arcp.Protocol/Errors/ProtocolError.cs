using System.Text.Json;
using Arcp.Protocol.Json;
using Arcp.Protocol.Messages;

namespace Arcp.Protocol.Errors;

/// <summary>An ARCP error: a code, a non-empty message and optional <c>details</c> object.</summary>
public sealed record ProtocolError
{
    /// <summary>Initializes a new error.</summary>
    /// <exception cref="ArgumentException"><paramref name="message"/> is empty or <paramref name="details"/> is not a JSON object.</exception>
    public ProtocolError(ErrorCode code, string message, JsonElement? details = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        if (details is { ValueKind: not JsonValueKind.Object })
        {
            throw new ArgumentException("Error details must be a JSON object.", nameof(details));
        }

        Code = code;
        Message = message;
        Details = details;
    }

    /// <summary>Gets the error code.</summary>
    public ErrorCode Code { get; }

    /// <summary>Gets the human-readable message (never empty).</summary>
    public string Message { get; }

    /// <summary>Gets the optional <c>details</c> object.</summary>
    public JsonElement? Details { get; }

    /// <summary>Gets the <c>retryable</c> flag implied by <see cref="Code"/>.</summary>
    public bool Retryable => Code.IsRetryable();

    /// <summary>Gets the <c>id</c> of the inbound envelope this error answers, when known (sent as <c>reply_to</c>).</summary>
    public string? RequestId { get; init; }

    /// <summary>Creates an <c>INVALID_REQUEST</c> error, optionally naming the offending field in <c>details.field</c>.</summary>
    public static ProtocolError InvalidRequest(string message, string? field = null) =>
        field is null
            ? new ProtocolError(ErrorCode.InvalidRequest, message)
            : new ProtocolError(ErrorCode.InvalidRequest, message, JsonDetails.Create(("field", field)));

    /// <summary>Creates an error whose <c>details</c> object holds the given string entries.</summary>
    public static ProtocolError WithDetails(ErrorCode code, string message, params (string Key, string Value)[] details) =>
        new(code, message, details.Length == 0 ? null : JsonDetails.Create(details));

    /// <summary>Builds the <c>session.error</c> payload for this error; <see cref="RequestId"/> becomes <c>reply_to</c>.</summary>
    public SessionError ToSessionError() => new(Code, Message, Retryable, Details, Detail: null, ReplyTo: RequestId);

    /// <summary>Builds the terminal <c>job.error</c> payload; the final status follows the code (CANCELLED → cancelled, TIMEOUT → timed_out, else error).</summary>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is null or empty.</exception>
    public JobError ToJobError(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var finalStatus = Code switch
        {
            ErrorCode.Cancelled => JobStatus.Cancelled,
            ErrorCode.Timeout => JobStatus.TimedOut,
            _ => JobStatus.Error,
        };
        return new JobError(finalStatus, Code, Message, Retryable, jobId, Details);
    }
}

using System.Text.Json;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>job.error</c> (out): failure, cancelled or timed-out terminal.</summary>
/// <param name="FinalStatus"><see cref="JobStatus.Error"/>, <see cref="JobStatus.Cancelled"/> or <see cref="JobStatus.TimedOut"/>.</param>
/// <param name="Code">Error code.</param>
/// <param name="Message">Non-empty message.</param>
/// <param name="Retryable">Retryable flag.</param>
/// <param name="JobId">Job id (repeated from the envelope).</param>
/// <param name="Details">Optional context object.</param>
/// <param name="Detail">Optional short string.</param>
public sealed record JobError(
    JobStatus FinalStatus,
    ErrorCode Code,
    string Message,
    bool Retryable,
    string JobId,
    JsonElement? Details = null,
    string? Detail = null) : ArcpPayload
{
    /// <summary>Returns the error as a <see cref="ProtocolError"/>.</summary>
    public ProtocolError ToProtocolError() => new(Code, Message, Details);

    internal override ProtocolError? Validate() => PayloadChecks.First(
        FinalStatus is JobStatus.Error or JobStatus.Cancelled or JobStatus.TimedOut
            ? null
            : PayloadChecks.Invalid("final_status", "payload.final_status of job.error must be error, cancelled or timed_out."),
        string.IsNullOrEmpty(Message) ? PayloadChecks.Invalid("message", "payload.message must not be empty.") : null,
        PayloadChecks.NonEmpty(JobId, "job_id"),
        PayloadChecks.Object(Details, "details"));
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>job.result</c> (out): success terminal, with an inline <c>result</c> or a streamed <c>result_id</c>/<c>result_size</c>, never both.</summary>
/// <param name="JobId">Job id (repeated from the envelope).</param>
/// <param name="Result">Inline result.</param>
/// <param name="ResultId">Streamed result id.</param>
/// <param name="ResultSize">Decoded size in bytes of the streamed result.</param>
/// <param name="Summary">Optional summary of a streamed result.</param>
/// <param name="FinalStatus">Always <see cref="JobStatus.Success"/>.</param>
public sealed record JobResult(
    string JobId,
    JsonElement? Result = null,
    string? ResultId = null,
    long? ResultSize = null,
    string? Summary = null,
    [property: JsonPropertyOrder(-1)] JobStatus FinalStatus = JobStatus.Success) : ArcpPayload
{
    /// <summary>Creates an inline result.</summary>
    public static JobResult Inline(string jobId, JsonElement result) => new(jobId, Result: result);

    /// <summary>Creates the terminal message of a streamed result.</summary>
    public static JobResult Streamed(string jobId, string resultId, long resultSize, string? summary = null) =>
        new(jobId, ResultId: resultId, ResultSize: resultSize, Summary: summary);

    internal override ProtocolError? Validate()
    {
        if (FinalStatus != JobStatus.Success)
        {
            return PayloadChecks.Invalid("final_status", "payload.final_status of job.result must be success.");
        }

        if (Result is not null && ResultId is not null)
        {
            return PayloadChecks.Invalid("result", "payload.result and payload.result_id are mutually exclusive.");
        }

        if (ResultSize is not null && ResultId is null)
        {
            return PayloadChecks.Invalid("result_size", "payload.result_size requires payload.result_id.");
        }

        return PayloadChecks.First(
            PayloadChecks.NonEmpty(JobId, "job_id"),
            PayloadChecks.NonEmpty(ResultId, "result_id"),
            PayloadChecks.AtLeast(ResultSize, 0, "result_size"));
    }
}

using System.Text.Json;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Json;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Jobs;

/// <summary>Builds the terminal transition of each way a job can end (the only place terminal payloads are made).</summary>
public sealed class JobTerminals(TimeProvider timeProvider)
{
    private readonly IdGenerator _ids = new(timeProvider);

    /// <summary><c>job.result</c> with an inline result.</summary>
    public JobTermination Success(string jobId, JsonElement? result) =>
        Make(JobStatus.Success, JobEventTypes.Result, JobResult.Inline(jobId, result ?? JsonDocument.Parse("null").RootElement.Clone()));

    /// <summary><c>job.result</c> referencing a streamed result.</summary>
    public JobTermination Streamed(string jobId, string resultId, long size, string? summary) =>
        Make(JobStatus.Success, JobEventTypes.Result, JobResult.Streamed(jobId, resultId, size, summary));

    /// <summary><c>job.error</c>; the final status follows the code (CANCELLED → cancelled, TIMEOUT → timed_out, else error).</summary>
    public JobTermination Failure(string jobId, ProtocolError error) =>
        Make(error.ToJobError(jobId).FinalStatus, JobEventTypes.Error, error.ToJobError(jobId));

    /// <summary><c>job.error CANCELLED</c> (§7.4).</summary>
    public JobTermination Cancelled(string jobId, string? reason) =>
        Failure(jobId, new ProtocolError(ErrorCode.Cancelled, string.IsNullOrWhiteSpace(reason) ? "Cancelled by the submitting session." : reason));

    /// <summary><c>job.error TIMEOUT</c>, final status <c>timed_out</c> (§6.11).</summary>
    public JobTermination TimedOut(string jobId, int maxRuntimeSec) =>
        Failure(jobId, new ProtocolError(ErrorCode.Timeout, $"The job exceeded max_runtime_sec ({maxRuntimeSec} s)."));

    /// <summary><c>job.error LEASE_EXPIRED</c>, final status <c>error</c> (§9.5).</summary>
    public JobTermination LeaseExpired(string jobId, DateTimeOffset expiresAt) =>
        Failure(jobId, new ProtocolError(ErrorCode.LeaseExpired, $"The lease expired at {ArcpTimestamp.Format(expiresAt)}."));

    private JobTermination Make(JobStatus status, string type, ArcpPayload payload)
    {
        var now = ArcpTimestamp.Truncate(timeProvider.GetUtcNow());
        return JobTermination.Create(status, new NewJobEvent(type, ArcpWriter.SerializePayloadToUtf8Bytes(payload), now, _ids.NewMessageId()));
    }
}

using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Jobs;

/// <summary>A <c>job.submit</c> as the session layer hands it over.</summary>
/// <param name="Principal">The authenticated submitter.</param>
/// <param name="SessionId">The submitting session (it gets cancel authority and the events).</param>
/// <param name="Features">The session's negotiated features.</param>
/// <param name="Payload">The parsed submit payload.</param>
/// <param name="RequestId">The submit envelope's id (echoed as <c>reply_to</c>).</param>
/// <param name="TraceId">The submit envelope's <c>trace_id</c>, used when it is 32 lowercase hex.</param>
public sealed record SubmitRequest(string Principal, string SessionId, IReadOnlyList<string> Features, JobSubmit Payload, string RequestId, string? TraceId);

/// <summary>Outcome of <see cref="JobService.SubmitAsync"/>.</summary>
public abstract record SubmitOutcome
{
    private SubmitOutcome() { }

    /// <summary>Send <paramref name="Payload"/> as <c>job.accepted</c>, then call <see cref="JobService.StartAsync"/> with <paramref name="Start"/>.</summary>
    public sealed record Accepted(JobAccepted Payload, JobStartRequest Start, bool Replayed) : SubmitOutcome;

    /// <summary>Refused before acceptance: send <c>session.error</c>.</summary>
    public sealed record Rejected(ProtocolError Error) : SubmitOutcome;
}

/// <summary>Outcome of <see cref="JobService.CancelAsync"/>.</summary>
public abstract record CancelOutcome
{
    private CancelOutcome() { }

    /// <summary>Send <c>job.cancelled</c>; the terminal <c>job.error CANCELLED</c> follows through the outbox.</summary>
    public sealed record Cancelled(string JobId, string? Reason) : CancelOutcome;

    /// <summary>The job already ended: answered, not applied — send nothing, change nothing.</summary>
    public sealed record AlreadyTerminal(string JobId, JobStatus Status) : CancelOutcome;

    /// <summary>Refused (<c>JOB_NOT_FOUND</c>, <c>PERMISSION_DENIED</c>): send <c>session.error</c>.</summary>
    public sealed record Rejected(ProtocolError Error) : CancelOutcome;
}

namespace Arcp.Runtime.Sessions;

/// <summary>
/// A <c>sub:&lt;jobId&gt;</c> row: the session receives this job's events, mapped into its own seq space.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="IsSubmitter">True for the submitting session, false for an observer.</param>
/// <param name="TraceId">The job's trace id, stamped on every envelope.</param>
/// <param name="Redact">True when the observer's principal is not the submitter's: credential values are removed.</param>
/// <param name="DeliveredIndex">Highest job event index already mapped into the outbox.</param>
/// <param name="LastSeq">Session seq of that event (0 when none).</param>
public sealed record SessionSubscription(string JobId, bool IsSubmitter, string TraceId, bool Redact, long DeliveredIndex, long LastSeq);

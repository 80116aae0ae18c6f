namespace Arcp.Client.Connection;

/// <summary>What a pending request waits for (the correlation the public ARCP SDKs use).</summary>
internal enum PendingKind
{
    /// <summary><c>job.submit</c> → <c>job.accepted</c> by <c>reply_to</c>, else first in line.</summary>
    Submit,

    /// <summary><c>session.list_jobs</c> → <c>session.jobs</c> by <c>request_id</c>.</summary>
    ListJobs,

    /// <summary><c>job.subscribe</c> → <c>job.subscribed</c> by <c>reply_to</c>, else by job id.</summary>
    Subscribe,

    /// <summary><c>job.cancel</c> → <c>job.cancelled</c> by job id.</summary>
    Cancel,
}

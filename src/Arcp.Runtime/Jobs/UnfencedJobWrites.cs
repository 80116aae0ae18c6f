namespace Arcp.Runtime.Jobs;

/// <summary>Writes by those who hold no claim on the job: a session's status event, the orchestration ending it.</summary>
internal static class UnfencedJobWrites
{
    /// <summary>Appends events without a claim, as one logical write.</summary>
    public static Task<AppendResult> AppendEventsAsync(this IJobStore store, JobState expected, IReadOnlyList<NewJobEvent> events, JobProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.AppendEventsAsync(expected, events, progress, JobWrite.Unfenced(), cancellationToken);
    }

    /// <summary>Ends the job without a claim, as one logical write.</summary>
    public static Task<FinishResult> TryFinishAsync(this IJobStore store, string jobId, JobTermination termination, IReadOnlyList<NewJobEvent> precedingEvents, JobState? current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.TryFinishAsync(jobId, termination, precedingEvents, current, JobWrite.Unfenced(), cancellationToken);
    }
}

using Arcp.Runtime.Jobs;

namespace Arcp.Testing;

/// <summary>Wraps a job store, counts appends (how many storage writes group commit needed) and can slow them down.</summary>
public sealed class CountingJobStore(IJobStore inner) : DelegatingJobStore(inner)
{
    private int _appends;

    /// <summary>Appends seen so far.</summary>
    public int Appends => Volatile.Read(ref _appends);

    /// <summary>Artificial round-trip time added to every append.</summary>
    public TimeSpan AppendDelay { get; set; }

    /// <inheritdoc />
    public override async Task<AppendResult> AppendEventsAsync(JobState expected, IReadOnlyList<NewJobEvent> events, JobProgress? progress, JobWrite write, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _appends);
        if (AppendDelay > TimeSpan.Zero)
        {
            await Task.Delay(AppendDelay, cancellationToken);
        }

        return await base.AppendEventsAsync(expected, events, progress, write, cancellationToken);
    }
}

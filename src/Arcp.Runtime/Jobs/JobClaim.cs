namespace Arcp.Runtime.Jobs;

/// <summary>
/// A runner's hold on a job: the owner identity (unique per process start) and the attempt its claim wrote. Every
/// write a runner makes after its claim is conditional on both, so a runner that was paused past its lease or
/// superseded by a redelivery cannot write again.
/// </summary>
public sealed record JobClaim(string JobId, string Owner, int Attempt)
{
    /// <summary>The claim recorded in <paramref name="state"/>.</summary>
    public static JobClaim Of(JobState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new JobClaim(state.JobId, state.Owner ?? throw new InvalidOperationException($"Job {state.JobId} has no owner."), state.Attempt);
    }

    /// <summary>True while <paramref name="state"/> still records this claim.</summary>
    public bool Holds(JobState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Owner == Owner && state.Attempt == Attempt;
    }
}

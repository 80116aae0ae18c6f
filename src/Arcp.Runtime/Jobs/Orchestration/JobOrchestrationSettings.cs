namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>
/// The orchestration timing a job runs with, fixed when its instance starts and carried in the orchestration input:
/// a replay must make the same decisions as the first run, whatever the configuration says by then.
/// </summary>
/// <param name="CancelGracePeriod">See <see cref="JobOrchestrationOptions.CancelGracePeriod"/>.</param>
/// <param name="RevokeMaxAttempts">See <see cref="JobOrchestrationOptions.RevokeMaxAttempts"/>.</param>
/// <param name="RevokeFirstRetryInterval">See <see cref="JobOrchestrationOptions.RevokeFirstRetryInterval"/>.</param>
/// <param name="FinishMaxAttempts">See <see cref="JobOrchestrationOptions.FinishMaxAttempts"/>.</param>
/// <param name="FinishFirstRetryInterval">See <see cref="JobOrchestrationOptions.FinishFirstRetryInterval"/>.</param>
public sealed record JobOrchestrationSettings(
    TimeSpan CancelGracePeriod,
    int RevokeMaxAttempts,
    TimeSpan RevokeFirstRetryInterval,
    int FinishMaxAttempts,
    TimeSpan FinishFirstRetryInterval)
{
    /// <summary>The defaults, used by an instance started before its input carried settings.</summary>
    public static JobOrchestrationSettings Defaults { get; } = From(new JobOrchestrationOptions());

    /// <summary>A snapshot of <paramref name="options"/>.</summary>
    public static JobOrchestrationSettings From(JobOrchestrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.CancelGracePeriod, options.RevokeMaxAttempts, options.RevokeFirstRetryInterval, options.FinishMaxAttempts, options.FinishFirstRetryInterval);
    }
}

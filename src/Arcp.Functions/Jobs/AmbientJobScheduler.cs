using Arcp.Runtime.Jobs;

namespace Arcp.Functions.Jobs;

/// <summary>
/// The Functions app's <see cref="IJobScheduler"/>: a Durable client exists only as a per-invocation binding, so each
/// function that may start or signal jobs installs a scheduler over its own client for the duration of the call.
/// </summary>
public sealed class AmbientJobScheduler : IJobScheduler
{
    private static readonly AsyncLocal<IJobScheduler?> s_current = new();

    /// <summary>Makes <paramref name="scheduler"/> the one used by the current call; dispose to restore.</summary>
    public static IDisposable Use(IJobScheduler scheduler)
    {
        var previous = s_current.Value;
        s_current.Value = scheduler;
        return new Restore(previous);
    }

    private static IJobScheduler Current =>
        s_current.Value ?? throw new InvalidOperationException("No Durable client is bound to this invocation.");

    /// <inheritdoc />
    public Task StartAsync(JobStartRequest request, CancellationToken cancellationToken) => Current.StartAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task RaiseCancelAsync(string jobId, CancellationToken cancellationToken) => Current.RaiseCancelAsync(jobId, cancellationToken);

    /// <inheritdoc />
    public Task<JobInstanceStatus> GetInstanceStatusAsync(string jobId, CancellationToken cancellationToken) => Current.GetInstanceStatusAsync(jobId, cancellationToken);

    private sealed class Restore(IJobScheduler? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}

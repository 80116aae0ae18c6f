using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Arcp.Functions.Jobs;

/// <summary>
/// The Functions app's <see cref="IJobScheduler"/>. The isolated worker hands out a Durable client only as a
/// per-invocation binding, so every function that can reach the scheduler (each activity, timer and the upstream)
/// binds one and makes it current with <see cref="Bind"/> for the duration of its call; the scheduler then works over
/// it as a <see cref="DurableTaskClientJobScheduler"/>.
/// </summary>
public sealed class AmbientJobScheduler(IOptions<JobOrchestrationOptions> options) : IJobScheduler
{
    private static readonly AsyncLocal<DurableTaskClient?> s_client = new();

    /// <summary>Makes <paramref name="client"/> the one used by the current invocation; dispose to restore.</summary>
    public static IDisposable Bind(DurableTaskClient? client)
    {
        var previous = s_client.Value;
        s_client.Value = client;
        return new Restore(previous);
    }

    /// <inheritdoc />
    public Task StartAsync(JobStartRequest request, CancellationToken cancellationToken) => Current().StartAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task RaiseCancelAsync(string jobId, CancellationToken cancellationToken) => Current().RaiseCancelAsync(jobId, cancellationToken);

    /// <inheritdoc />
    public Task<JobInstanceStatus> GetInstanceStatusAsync(string jobId, CancellationToken cancellationToken) => Current().GetInstanceStatusAsync(jobId, cancellationToken);

    private DurableTaskClientJobScheduler Current() =>
        new(s_client.Value ?? throw new InvalidOperationException("No Durable client is bound to this invocation: the function must bind [DurableClient] and call AmbientJobScheduler.Bind."), options);

    private sealed class Restore(DurableTaskClient? previous) : IDisposable
    {
        public void Dispose() => s_client.Value = previous;
    }
}

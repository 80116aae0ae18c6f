using Azure.Core;
using Azure.Core.Pipeline;

namespace Arcp.Azure.Storage;

/// <summary>
/// An extra HTTP pipeline policy for every storage client the runtime creates: its tables, its blob container and the
/// Durable task hub's queues, tables and blobs. Every instance registered in DI is added to the client options.
/// </summary>
public sealed class StorageClientPolicy
{
    /// <summary>Wraps <paramref name="policy"/> for the given pipeline position.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public StorageClientPolicy(HttpPipelinePolicy policy, HttpPipelinePosition position = HttpPipelinePosition.PerRetry)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        Position = position;
    }

    /// <summary>The policy.</summary>
    public HttpPipelinePolicy Policy { get; }

    /// <summary>Where it runs: once per call, or once per attempt (so the client's own retries pass through it again).</summary>
    public HttpPipelinePosition Position { get; }

    /// <summary>Adds every policy to <paramref name="options"/> and returns them.</summary>
    internal static T AddTo<T>(T options, IEnumerable<StorageClientPolicy>? policies)
        where T : ClientOptions
    {
        foreach (var extra in policies ?? [])
        {
            options.AddPolicy(extra.Policy, extra.Position);
        }

        return options;
    }
}

using System.Text.Json;
using Arcp.Agents.Sdk;

namespace Arcp.Testing;

/// <summary>
/// An agent whose storage "stays out" until the attempt given as its input: earlier attempts throw
/// <see cref="Runtime.Storage.StorageUnavailableException"/> (the run is handed back), that one returns its attempt.
/// </summary>
public sealed class OutageUntilAttemptAgent : IAgent
{
    /// <summary>The name tests register it under.</summary>
    public const string Name = "outage-until";

    /// <inheritdoc />
    public Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Attempt < context.Input.GetInt32())
        {
            throw new Runtime.Storage.StorageUnavailableException("storage stayed out");
        }

        return Task.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(context.Attempt));
    }
}

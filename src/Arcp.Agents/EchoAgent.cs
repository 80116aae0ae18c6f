using System.Text.Json;
using Arcp.Agents.Sdk;

namespace Arcp.Agents;

/// <summary><c>echo</c>: returns its input as the result.</summary>
public sealed class EchoAgent : IAgent
{
    /// <inheritdoc />
    public Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult<JsonElement?>(context.Input);
    }
}

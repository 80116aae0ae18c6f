using System.Text.Json;

namespace Arcp.Agents.Sdk;

/// <summary>
/// An agent: the work a job runs. It talks to the world through <see cref="JobContext"/> (events, results, lease checks,
/// durable steps) and returns the inline result, or null when it streamed its result with
/// <see cref="JobContext.StreamTextResultAsync"/>. Throwing an <see cref="Arcp.Protocol.Errors.ArcpException"/> ends
/// the job with that code; any other exception ends it <c>INTERNAL_ERROR</c>.
/// </summary>
public interface IAgent
{
    /// <summary>Runs the job. <paramref name="cancellationToken"/> fires on cancel, timeout, lease expiry or shutdown.</summary>
    Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken);
}

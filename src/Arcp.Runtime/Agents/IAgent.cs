using System.Text.Json;

namespace Arcp.Runtime.Agents;

/// <summary>
/// An agent: the work a job runs. It talks to the world through <see cref="JobContext"/> (events, results, lease checks,
/// durable steps) and returns the inline result, or null when it streamed its result with
/// <see cref="JobContext.StreamTextResultAsync"/>. Throwing an <c>ArcpException</c> ends the job with that code.
/// </summary>
public interface IAgent
{
    /// <summary>Runs the job. <paramref name="cancellationToken"/> fires on cancel, timeout, lease expiry or shutdown.</summary>
    Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken);
}

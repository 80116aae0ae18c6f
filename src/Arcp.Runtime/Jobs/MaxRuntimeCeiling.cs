using Arcp.Protocol.Errors;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// Refuses at submission a run the deployment could not host to its end (<see cref="JobRunnerOptions.MaxRuntimeCeilingSeconds"/>):
/// a job the host would kill mid-run must never be accepted.
/// </summary>
internal static class MaxRuntimeCeiling
{
    /// <summary>The refusal, or null when the request fits (or no ceiling is configured).</summary>
    public static ProtocolError? Check(int? ceilingSeconds, long? requestedSeconds) => (ceilingSeconds, requestedSeconds) switch
    {
        (null, _) => null,
        ({ } ceiling, null) => ProtocolError.InvalidRequest(
            $"This deployment runs a job for at most {ceiling} s: set max_runtime_sec to {ceiling} or less.", "payload.max_runtime_sec"),
        ({ } ceiling, { } requested) when requested > ceiling => ProtocolError.InvalidRequest(
            $"max_runtime_sec {requested} exceeds this deployment's limit of {ceiling} s.", "payload.max_runtime_sec"),
        _ => null,
    };
}

using Arcp.Protocol.Messages;

namespace Arcp.Client.Sessions;

/// <summary>What the runtime's <c>session.welcome</c> established; refreshed on every resume.</summary>
/// <param name="SessionId">Session id (unchanged across resumes).</param>
/// <param name="Runtime">Runtime name and version.</param>
/// <param name="Features">Effective features: the intersection of the requested and offered ones.</param>
/// <param name="Agents">The runtime's agent inventory.</param>
/// <param name="ResumeWindow">How long the session stays resumable after a drop.</param>
/// <param name="HeartbeatInterval">Runtime ping interval, when <c>heartbeat</c> was negotiated.</param>
public sealed record ArcpSessionInfo(
    string SessionId,
    RuntimeInfo Runtime,
    IReadOnlyList<string> Features,
    IReadOnlyList<AgentInfo> Agents,
    TimeSpan ResumeWindow,
    TimeSpan? HeartbeatInterval)
{
    /// <summary>Returns whether <paramref name="feature"/> was negotiated.</summary>
    public bool HasFeature(string feature) => Features.Contains(feature, StringComparer.Ordinal);

    internal static ArcpSessionInfo From(string sessionId, SessionWelcome welcome) => new(
        sessionId,
        welcome.Runtime,
        welcome.Capabilities.Features,
        welcome.Capabilities.Agents,
        TimeSpan.FromSeconds(welcome.ResumeWindowSec),
        welcome.HeartbeatIntervalSec is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
}

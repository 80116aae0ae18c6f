namespace Arcp.Agents.Sdk;

/// <summary>One agent version the runtime can run.</summary>
/// <param name="Name">Agent name (<c>[a-z0-9][a-z0-9._-]*</c>).</param>
/// <param name="Version">Version string (opaque to the protocol).</param>
/// <param name="IsDefault">Whether a bare name resolves to this version.</param>
/// <param name="Factory">Creates the agent for one run.</param>
public sealed record AgentRegistration(string Name, string Version, bool IsDefault, Func<IServiceProvider, IAgent> Factory)
{
    /// <summary><c>name@version</c>.</summary>
    public string Reference => $"{Name}@{Version}";
}

namespace Arcp.Protocol.Messages;

/// <summary>An agent inventory entry of <c>session.welcome</c>: <c>{name, versions[], default?}</c>; <c>versions</c> is always present.</summary>
/// <param name="Name">Agent name.</param>
/// <param name="Versions">Registered versions (possibly empty).</param>
/// <param name="Default">Version a bare name resolves to.</param>
public sealed record AgentInfo(string Name, IReadOnlyList<string> Versions, string? Default = null);

namespace Arcp.Protocol.Messages;

/// <summary>The <c>session.welcome</c> <c>capabilities</c> object.</summary>
/// <param name="Encodings">Encodings (<c>["json"]</c>).</param>
/// <param name="Features">Effective features (the intersection with the hello).</param>
/// <param name="Agents">Agent inventory, always in the rich form.</param>
public sealed record WelcomeCapabilities(IReadOnlyList<string> Encodings, IReadOnlyList<string> Features, IReadOnlyList<AgentInfo> Agents);

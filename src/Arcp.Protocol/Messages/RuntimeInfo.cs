namespace Arcp.Protocol.Messages;

/// <summary>The <c>session.welcome</c> <c>runtime</c> object.</summary>
/// <param name="Name">Runtime name (non-empty).</param>
/// <param name="Version">Runtime version (non-empty).</param>
public sealed record RuntimeInfo(string Name, string Version);

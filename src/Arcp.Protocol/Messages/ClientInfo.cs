namespace Arcp.Protocol.Messages;

/// <summary>The <c>session.hello</c> <c>client</c> object.</summary>
/// <param name="Name">Client name.</param>
/// <param name="Version">Client version.</param>
/// <param name="Fingerprint">Optional client fingerprint.</param>
/// <param name="Principal">Optional principal hint (authentication still comes from <c>auth</c>).</param>
public sealed record ClientInfo(string Name, string Version, string? Fingerprint = null, string? Principal = null);

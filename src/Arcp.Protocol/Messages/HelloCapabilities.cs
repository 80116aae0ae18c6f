namespace Arcp.Protocol.Messages;

/// <summary>The <c>session.hello</c> <c>capabilities</c> object.</summary>
/// <param name="Encodings">Supported encodings (always <c>json</c>).</param>
/// <param name="Features">Requested optional features; absent means none.</param>
public sealed record HelloCapabilities(IReadOnlyList<string>? Encodings = null, IReadOnlyList<string>? Features = null);

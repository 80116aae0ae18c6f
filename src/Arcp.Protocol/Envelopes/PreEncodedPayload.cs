namespace Arcp.Protocol.Envelopes;

/// <summary>
/// A payload that is already JSON text, written verbatim: how stored job events become envelopes again, byte for byte
/// the same on every replay.
/// </summary>
/// <param name="Json">The payload object as JSON text.</param>
public sealed record PreEncodedPayload(string Json) : ArcpPayload;

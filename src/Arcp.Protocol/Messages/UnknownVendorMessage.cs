using System.Text.Json;
using Arcp.Protocol.Envelopes;

namespace Arcp.Protocol.Messages;

/// <summary>Payload of an unrecognised <c>x-vendor.*</c> message type: callers may drop it silently. The raw payload is kept.</summary>
/// <param name="Payload">The payload object as received.</param>
public sealed record UnknownVendorMessage(JsonElement Payload) : ArcpPayload;

using System.Text.Json;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>job.event</c> (out): one progress-stream event <c>{kind, ts, body}</c>; see <c>Arcp.Protocol.Events</c> for kinds and bodies.</summary>
/// <param name="Kind">Event kind, e.g. <c>log</c> or <c>x-vendor.acme.foo</c>.</param>
/// <param name="Ts">Event time.</param>
/// <param name="Body">Kind-specific body object.</param>
public sealed record JobEvent(string Kind, DateTimeOffset Ts, JsonElement Body) : ArcpPayload
{
    internal override ProtocolError? Validate() => PayloadChecks.First(
        string.IsNullOrEmpty(Kind) ? PayloadChecks.Invalid("kind", "payload.kind must not be empty.") : null,
        PayloadChecks.Object(Body, "body"));
}

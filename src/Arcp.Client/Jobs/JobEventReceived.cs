using System.Text.Json;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;

namespace Arcp.Client.Jobs;

/// <summary>One <c>job.event</c>, delivered exactly once and in <c>event_seq</c> order.</summary>
/// <param name="JobId">The job.</param>
/// <param name="EventSeq">Session-scoped sequence number.</param>
/// <param name="Kind">Event kind, e.g. <c>progress</c>, <c>log</c> or a vendor kind.</param>
/// <param name="Ts">Event time.</param>
/// <param name="RawBody">The body as sent.</param>
/// <param name="Body">The typed body (<see cref="ProgressBody"/>, <see cref="LogBody"/>, …); null for vendor kinds or a body that does not fit its kind.</param>
/// <param name="BodyError">Why a defined kind's body could not be read; null otherwise.</param>
public sealed record JobEventReceived(
    string JobId,
    long EventSeq,
    string Kind,
    DateTimeOffset Ts,
    JsonElement RawBody,
    EventBody? Body,
    ProtocolError? BodyError);

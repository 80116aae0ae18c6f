using System.Text;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Events;
using Arcp.Protocol.Json;

namespace Arcp.Runtime.Jobs;

/// <summary>An event to append to a job: the envelope type, its payload and the envelope id and time it will always carry.</summary>
/// <param name="Type"><c>job.event</c>, or the terminal <c>job.result</c> / <c>job.error</c>.</param>
/// <param name="Payload">The envelope payload as UTF-8 JSON (for <c>job.event</c>: <c>{kind, ts, body}</c>), serialized once: stored and spliced into every delivery as it is.</param>
/// <param name="Timestamp">The envelope timestamp.</param>
/// <param name="MessageId">The envelope id (<c>msg_</c> + ULID) the submitting session sees on every replay.</param>
public sealed record NewJobEvent(string Type, ReadOnlyMemory<byte> Payload, DateTimeOffset Timestamp, string MessageId)
{
    /// <summary>An event whose payload is given as JSON text.</summary>
    public NewJobEvent(string type, string payloadJson, DateTimeOffset timestamp, string messageId)
        : this(type, Encoding.UTF8.GetBytes(payloadJson), timestamp, messageId)
    {
    }

    /// <summary>A <c>job.event</c> carrying <paramref name="body"/>, stamped at <paramref name="now"/> as the wire carries it.</summary>
    internal static NewJobEvent Of(EventBody body, DateTimeOffset now, string messageId)
    {
        var at = ArcpTimestamp.Truncate(now);
        return new(JobEventTypes.Event, ArcpWriter.SerializePayloadToUtf8Bytes(EventBodies.ToJobEvent(body, at)), at, messageId);
    }

    /// <summary>The payload as JSON text (decoded on each call; not for the delivery path).</summary>
    public string PayloadJson => Encoding.UTF8.GetString(Payload.Span);
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using Arcp.Protocol.Json;
using Arcp.Protocol.Messages;

namespace Arcp.Protocol.Envelopes;

/// <summary>
/// Serializes envelopes deterministically (same envelope → same bytes): <c>arcp</c> first, then <c>id</c>, <c>type</c>,
/// <c>session_id</c>, <c>job_id</c>, <c>event_seq</c>, <c>trace_id</c>, <c>timestamp</c>, <c>payload</c>; absent
/// optional fields are omitted, never written as null.
/// </summary>
public static class ArcpWriter
{
    /// <summary>Serializes <paramref name="message"/> to UTF-8 JSON bytes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    public static byte[] SerializeToUtf8Bytes(ArcpMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ArcpJson.WriterOptions))
        {
            Write(writer, message);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serializes <paramref name="message"/> to a JSON string.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    public static string Serialize(ArcpMessage message) => Encoding.UTF8.GetString(SerializeToUtf8Bytes(message));

    /// <summary>Serializes a payload alone, with the same settings as in an envelope (for storing it).</summary>
    public static string SerializePayload(ArcpPayload payload) => Encoding.UTF8.GetString(SerializePayloadToUtf8Bytes(payload));

    /// <summary>Serializes a payload alone to UTF-8, with the same settings as in an envelope: the bytes a stored event keeps and every delivery splices.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="payload"/> is null.</exception>
    public static byte[] SerializePayloadToUtf8Bytes(ArcpPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ArcpJson.WriterOptions))
        {
            JsonSerializer.Serialize(writer, payload, MessageCatalog.GetTypeInfo(payload.GetType()));
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <paramref name="message"/> as one JSON object to <paramref name="writer"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(Utf8JsonWriter writer, ArcpMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);

        writer.WriteStartObject();
        writer.WriteString("arcp"u8, ArcpMessage.ProtocolVersion);
        writer.WriteString("id"u8, message.Id);
        writer.WriteString("type"u8, message.Type);
        WriteOptional(writer, "session_id"u8, message.SessionId);
        WriteOptional(writer, "job_id"u8, message.JobId);
        if (message.EventSeq is { } seq)
        {
            writer.WriteNumber("event_seq"u8, seq);
        }

        WriteOptional(writer, "trace_id"u8, message.TraceId);
        if (message.Timestamp is { } timestamp)
        {
            writer.WriteString("timestamp"u8, ArcpTimestamp.Format(timestamp));
        }

        writer.WritePropertyName("payload"u8);
        if (message.Payload is UnknownVendorMessage vendor)
        {
            vendor.Payload.WriteTo(writer);
        }
        else if (message.Payload is PreEncodedPayload encoded)
        {
            writer.WriteRawValue(encoded.Json, skipInputValidation: true);
        }
        else
        {
            JsonSerializer.Serialize(writer, message.Payload, MessageCatalog.GetTypeInfo(message.Payload.GetType()));
        }

        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}

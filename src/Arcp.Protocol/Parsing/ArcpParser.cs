using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Json;
using Arcp.Protocol.Messages;

namespace Arcp.Protocol.Parsing;

/// <summary>
/// The single entry point for inbound frames. Total: never throws; every rejection is an <c>INVALID_REQUEST</c>
/// <see cref="ProtocolError"/> whose <see cref="ProtocolError.RequestId"/> is the envelope <c>id</c> when it could be read.
/// </summary>
/// <remarks>
/// Unknown top-level and payload fields are ignored; an absent <c>arcp</c> is tolerated; an absent <c>payload</c> is
/// <c>{}</c>. Unknown types are rejected with <c>details.type</c>, except <c>x-vendor.*</c> types, which parse to an
/// <see cref="UnknownVendorMessage"/> the caller may drop.
/// </remarks>
public static class ArcpParser
{
    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly JsonElement _emptyObject = CreateEmptyObject();

    /// <summary>Parses a UTF-8 frame with the default limits.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out ArcpMessage? message, [NotNullWhen(false)] out ProtocolError? error) =>
        TryParse(utf8, ArcpParserOptions.Default, out message, out error);

    /// <summary>Parses a text frame with the default limits.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ArcpMessage? message, [NotNullWhen(false)] out ProtocolError? error) =>
        TryParse(text, ArcpParserOptions.Default, out message, out error);

    /// <summary>Parses a text frame; lone surrogates count as invalid UTF-8.</summary>
    public static bool TryParse(string? text, ArcpParserOptions? options, [NotNullWhen(true)] out ArcpMessage? message, [NotNullWhen(false)] out ProtocolError? error)
    {
        options ??= ArcpParserOptions.Default;
        message = null;
        if (text is null)
        {
            error = ProtocolError.InvalidRequest("Frame is empty.");
            return false;
        }

        if (text.Length > options.MaxFrameBytes)
        {
            error = Oversize(options);
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = _strictUtf8.GetBytes(text);
        }
        catch (ArgumentException)
        {
            error = ProtocolError.InvalidRequest("Frame is not valid UTF-8.");
            return false;
        }

        return TryParse(bytes, options, out message, out error);
    }

    /// <summary>Parses a UTF-8 frame with the given limits.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, ArcpParserOptions? options, [NotNullWhen(true)] out ArcpMessage? message, [NotNullWhen(false)] out ProtocolError? error)
    {
        options ??= ArcpParserOptions.Default;
        message = null;
        try
        {
            error = ParseCore(utf8, options, out message);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException
            or ArgumentException or NotSupportedException or InsufficientExecutionStackException or KeyNotFoundException or IndexOutOfRangeException)
        {
            // Defence in depth: ParseCore handles every expected failure itself.
            message = null;
            error = ProtocolError.InvalidRequest("Frame could not be parsed.");
        }

        return error is null && message is not null;
    }

    private static ProtocolError? ParseCore(ReadOnlySpan<byte> utf8, ArcpParserOptions options, out ArcpMessage? message)
    {
        message = null;
        if (utf8.Length > options.MaxFrameBytes)
        {
            return Oversize(options);
        }

        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        if (!Utf8.IsValid(utf8))
        {
            return ProtocolError.InvalidRequest("Frame is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
            {
                MaxDepth = options.MaxDepth,
                CommentHandling = JsonCommentHandling.Disallow,
                AllowTrailingCommas = false,
            });
            document = JsonDocument.ParseValue(ref reader);
            try
            {
                if (reader.Read())
                {
                    document.Dispose();
                    return ProtocolError.InvalidRequest("Frame is not valid JSON: trailing content.");
                }
            }
            catch (JsonException)
            {
                document.Dispose();
                return ProtocolError.InvalidRequest("Frame is not valid JSON: trailing content.");
            }
        }
        catch (JsonException)
        {
            return ProtocolError.InvalidRequest("Frame is not valid JSON.");
        }

        using (document)
        {
            return ParseEnvelope(document.RootElement, out message);
        }
    }

    private static ProtocolError? ParseEnvelope(JsonElement root, out ArcpMessage? message)
    {
        message = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ProtocolError.InvalidRequest("Frame must be a JSON object.");
        }

        var id = root.TryGetProperty("id"u8, out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        var requestId = string.IsNullOrEmpty(id) ? null : id;
        var error = ParseHeader(root, id, out var header, out var type, out var payloadElement);
        if (error is not null)
        {
            message = null;
            return error with { RequestId = requestId };
        }

        error = ParsePayload(type!, payloadElement, out var payload);
        if (error is not null)
        {
            return error with { RequestId = requestId };
        }

        message = header! with { Type = type!, Payload = payload! };
        return null;
    }

    private static ProtocolError? ParseHeader(JsonElement root, string? id, out ArcpMessage? header, out string? type, out JsonElement payload)
    {
        header = null;
        type = null;
        payload = _emptyObject;

        if (root.TryGetProperty("arcp"u8, out var arcp)
            && (arcp.ValueKind != JsonValueKind.String || !arcp.ValueEquals(ArcpMessage.ProtocolVersion)))
        {
            return ProtocolError.InvalidRequest("Unsupported protocol version: arcp must be \"1.1\".", "arcp");
        }

        if (string.IsNullOrEmpty(id))
        {
            return ProtocolError.InvalidRequest("Envelope id must be a non-empty string.", "id");
        }

        if (!root.TryGetProperty("type"u8, out var typeElement) || typeElement.ValueKind != JsonValueKind.String
            || typeElement.GetString() is not { Length: > 0 } typeText)
        {
            return ProtocolError.InvalidRequest("Envelope type must be a non-empty string.", "type");
        }

        type = typeText;
        string? sessionId = null, jobId = null, traceId = null, timestampText = null;
        var error = OptionalString(root, "session_id", ref sessionId)
            ?? OptionalString(root, "job_id", ref jobId)
            ?? OptionalString(root, "trace_id", ref traceId)
            ?? OptionalString(root, "timestamp", ref timestampText);
        if (error is not null)
        {
            return error;
        }

        DateTimeOffset? timestamp = null;
        if (timestampText is not null)
        {
            if (!ArcpTimestamp.TryParse(timestampText, out var parsed))
            {
                return ProtocolError.InvalidRequest("Envelope timestamp must be an RFC 3339 date-time.", "timestamp");
            }

            timestamp = parsed;
        }

        long? eventSeq = null;
        if (root.TryGetProperty("event_seq"u8, out var seqElement) && seqElement.ValueKind != JsonValueKind.Null)
        {
            if (seqElement.ValueKind != JsonValueKind.Number || !seqElement.TryGetInt64(out var seq) || seq < 1)
            {
                return ProtocolError.InvalidRequest("Envelope event_seq must be an integer >= 1.", "event_seq");
            }

            eventSeq = seq;
        }

        if (root.TryGetProperty("payload"u8, out var payloadElement))
        {
            if (payloadElement.ValueKind != JsonValueKind.Object)
            {
                return ProtocolError.InvalidRequest("Envelope payload must be a JSON object.", "payload");
            }

            payload = payloadElement;
        }

        header = new ArcpMessage(id, type, new SessionBye())
        {
            SessionId = sessionId,
            JobId = jobId,
            EventSeq = eventSeq,
            TraceId = traceId,
            Timestamp = timestamp,
        };
        return null;
    }

    private static ProtocolError? ParsePayload(string type, JsonElement payloadElement, out ArcpPayload? payload)
    {
        payload = null;
        if (!MessageCatalog.TryGetTypeInfo(type, out var typeInfo))
        {
            if (type.StartsWith(MessageTypes.VendorPrefix, StringComparison.Ordinal))
            {
                payload = new UnknownVendorMessage(payloadElement.Clone());
                return null;
            }

            return ProtocolError.WithDetails(ErrorCode.InvalidRequest, $"Unknown message type '{type}'.", ("type", type));
        }

        try
        {
            payload = payloadElement.Deserialize(typeInfo) as ArcpPayload;
        }
        catch (JsonException e)
        {
            return DescribePayloadException(type, e);
        }

        if (payload is null)
        {
            return ProtocolError.InvalidRequest($"Payload of '{type}' could not be read.", "payload");
        }

        var error = payload.Validate();
        if (error is not null)
        {
            payload = null;
        }

        return error;
    }

    private static ProtocolError DescribePayloadException(string type, JsonException e)
    {
        var path = e.Path is null or "$" ? string.Empty : e.Path[1..];
        var field = "payload" + path;

        // Missing required constructor parameters are reported at the enclosing object; name the property itself.
        const string Marker = "missing required properties including: '";
        var at = e.Message.IndexOf(Marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            var start = at + Marker.Length;
            var end = e.Message.IndexOf('\'', start);
            if (end > start)
            {
                var name = e.Message[start..end];
                return ProtocolError.InvalidRequest($"Payload of '{type}' is missing required field {field}.{name}.", $"{field}.{name}");
            }
        }

        return ProtocolError.InvalidRequest($"Payload of '{type}' has an invalid value at {field}.", field);
    }

    private static ProtocolError? OptionalString(JsonElement root, string name, ref string? value)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return ProtocolError.InvalidRequest($"Envelope {name} must be a string.", name);
        }

        value = element.GetString();
        return null;
    }

    private static ProtocolError Oversize(ArcpParserOptions options) =>
        ProtocolError.InvalidRequest($"Frame exceeds the {options.MaxFrameBytes}-byte limit.");

    private static JsonElement CreateEmptyObject()
    {
        using var document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arcp.Protocol.Json;

/// <summary>Reads RFC 3339 timestamps and writes them as UTC <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
internal sealed class UtcTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected an RFC 3339 timestamp string.");
        }

        var text = reader.GetString();
        if (!ArcpTimestamp.TryParse(text, out var value))
        {
            throw new JsonException("Expected an RFC 3339 timestamp string.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ArcpTimestamp.Format(value));
}

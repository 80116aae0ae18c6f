using System.Text.Json;
using System.Text.Json.Serialization;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Json;

/// <summary>Serializes <see cref="ErrorCode"/> as its SCREAMING_SNAKE wire name; unknown names are rejected.</summary>
internal sealed class ErrorCodeJsonConverter : JsonConverter<ErrorCode>
{
    public override ErrorCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && ErrorCodes.TryParse(reader.GetString(), out var code))
        {
            return code;
        }

        throw new JsonException("Expected an ARCP error code.");
    }

    public override void Write(Utf8JsonWriter writer, ErrorCode value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToWireName());
}

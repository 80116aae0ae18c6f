using System.Text.Json;
using System.Text.Json.Serialization;
using Arcp.Protocol.Messages;

namespace Arcp.Protocol.Json;

/// <summary>Serializes <see cref="JobStatus"/> as its snake_case wire name; numbers and unknown names are rejected.</summary>
internal sealed class JobStatusJsonConverter : JsonConverter<JobStatus>
{
    public override JobStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && JobStatuses.TryParse(reader.GetString(), out var status))
        {
            return status;
        }

        throw new JsonException("Expected a job status.");
    }

    public override void Write(Utf8JsonWriter writer, JobStatus value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToWireName());
}

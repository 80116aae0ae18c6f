using System.Buffers;
using System.Text.Json;

namespace Arcp.Protocol.Json;

/// <summary>Builds small JSON objects used as error <c>details</c>.</summary>
internal static class JsonDetails
{
    public static JsonElement Create(params (string Key, string Value)[] entries) => Create((IEnumerable<(string Key, string Value)>)entries);

    public static JsonElement Create(IEnumerable<(string Key, string Value)> entries)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, ArcpJson.WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in entries)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}

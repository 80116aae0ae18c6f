using System.Text.Json;

namespace Arcp.Protocol.Tests.TestData;

internal static class JsonHelpers
{
    public static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static JsonElement Root(string json) => Element(json);
}

using System.Text.Json;
using Arcp.Protocol.Errors;

namespace Arcp.Agents;

/// <summary>Reads agent inputs; a missing or mistyped field is the submitter's error (<c>INVALID_REQUEST</c>).</summary>
internal static class AgentInput
{
    public static long Integer(JsonElement input, string name, long defaultValue, long min, long max)
    {
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return defaultValue;
        }

        return value.TryGetInt64(out var number) && number >= min && number <= max
            ? number
            : throw new ArcpException(ErrorCode.InvalidRequest, $"input.{name} must be an integer between {min} and {max}.");
    }
}

using System.Text.Json;
using Arcp.Protocol.Errors;

namespace Arcp.Agents;

/// <summary>Reads agent inputs; a missing or mistyped field is the submitter's error (<c>INVALID_REQUEST</c>).</summary>
internal static class AgentInput
{
    public static string Text(JsonElement input, string name, string defaultValue) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new ArcpException(ErrorCode.InvalidRequest, $"input.{name} must be a string.")
            : defaultValue;

    public static IReadOnlyList<string> Texts(JsonElement input, string name, IReadOnlyList<string> defaultValue) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String)
                ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
                : throw new ArcpException(ErrorCode.InvalidRequest, $"input.{name} must be an array of strings.")
            : defaultValue;

    public static decimal Decimal(JsonElement input, string name, decimal defaultValue) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.TryGetDecimal(out var number) ? number : throw new ArcpException(ErrorCode.InvalidRequest, $"input.{name} must be a number.")
            : defaultValue;

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

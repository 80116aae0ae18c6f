using System.Text.Json;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary>Field-level validation helpers producing <c>INVALID_REQUEST</c> with <c>details.field</c>.</summary>
internal static class PayloadChecks
{
    public static ProtocolError Invalid(string field, string message) =>
        ProtocolError.InvalidRequest(message, "payload." + field);

    public static ProtocolError? NonEmpty(string? value, string field) =>
        value is not null && value.Length == 0 ? Invalid(field, $"payload.{field} must not be empty.") : null;

    public static ProtocolError? AtLeast(long? value, long minimum, string field) =>
        value < minimum ? Invalid(field, $"payload.{field} must be an integer >= {minimum}.") : null;

    public static ProtocolError? Object(JsonElement? value, string field) =>
        value is { ValueKind: not JsonValueKind.Object } ? Invalid(field, $"payload.{field} must be a JSON object.") : null;

    public static ProtocolError? NoEmptyItems(IReadOnlyList<string>? values, string field)
    {
        if (values is null)
        {
            return null;
        }

        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                return Invalid(field, $"payload.{field} must contain only non-empty strings.");
            }
        }

        return null;
    }

    /// <summary>Returns the first non-null error.</summary>
    public static ProtocolError? First(params ProtocolError?[] errors)
    {
        foreach (var error in errors)
        {
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }
}

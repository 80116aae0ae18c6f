using System.Text.Json;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Events;

/// <summary>The <c>error</c> of a failed <c>tool_result</c>: <c>{code, message, retryable, details?}</c>.</summary>
/// <param name="Code">Error code.</param>
/// <param name="Message">Non-empty message.</param>
/// <param name="Retryable">Retryable flag.</param>
/// <param name="Details">Optional context object.</param>
public sealed record ToolError(ErrorCode Code, string Message, bool Retryable, JsonElement? Details = null)
{
    /// <summary>Builds the tool error for a protocol error.</summary>
    public static ToolError From(ProtocolError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ToolError(error.Code, error.Message, error.Retryable, error.Details);
    }
}

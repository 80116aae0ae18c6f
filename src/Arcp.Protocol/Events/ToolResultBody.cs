using System.Text.Json;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Events;

/// <summary><c>tool_result</c> body: <c>{call_id, result?}</c> or <c>{call_id, error}</c>, never both.</summary>
/// <param name="CallId">The <c>tool_call</c> id.</param>
/// <param name="Result">Successful result.</param>
/// <param name="Error">Failure.</param>
public sealed record ToolResultBody(string CallId, JsonElement? Result = null, ToolError? Error = null) : EventBody
{
    /// <inheritdoc/>
    public override string GetKind() => EventKinds.ToolResult;

    /// <inheritdoc/>
    public override ProtocolError? Validate() =>
        Result is not null && Error is not null ? ProtocolError.InvalidRequest("tool_result carries either result or error, not both.", "body.error")
        : Error is not null && string.IsNullOrEmpty(Error.Message) ? ProtocolError.InvalidRequest("tool_result error message must not be empty.", "body.error.message")
        : Error?.Details is { ValueKind: not JsonValueKind.Object } ? ProtocolError.InvalidRequest("tool_result error details must be an object.", "body.error.details")
        : null;
}

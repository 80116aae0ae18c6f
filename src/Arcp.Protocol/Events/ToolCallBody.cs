using System.Text.Json;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Events;

/// <summary><c>tool_call</c> body <c>{tool, call_id, args?}</c>.</summary>
/// <param name="Tool">Tool name.</param>
/// <param name="CallId">Correlates the matching <c>tool_result</c>.</param>
/// <param name="Args">Arguments object.</param>
public sealed record ToolCallBody(string Tool, string CallId, JsonElement? Args = null) : EventBody
{
    /// <inheritdoc/>
    public override string GetKind() => EventKinds.ToolCall;

    /// <inheritdoc/>
    public override ProtocolError? Validate() =>
        Args is { ValueKind: not JsonValueKind.Object } ? ProtocolError.InvalidRequest("tool_call args must be an object.", "body.args") : null;
}

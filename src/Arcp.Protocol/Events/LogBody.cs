using System.Text.Json;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Events;

/// <summary><c>log</c> body <c>{level, message, attributes?}</c>.</summary>
/// <param name="Level">One of <see cref="LogLevels"/>.</param>
/// <param name="Message">Log message.</param>
/// <param name="Attributes">Optional structured attributes object.</param>
public sealed record LogBody(string Level, string Message, JsonElement? Attributes = null) : EventBody
{
    /// <inheritdoc/>
    public override string GetKind() => EventKinds.Log;

    /// <inheritdoc/>
    public override ProtocolError? Validate() =>
        !LogLevels.All.Contains(Level) ? ProtocolError.InvalidRequest("log level must be trace, debug, info, warn, error or critical.", "body.level")
        : Attributes is { ValueKind: not JsonValueKind.Object } ? ProtocolError.InvalidRequest("log attributes must be an object.", "body.attributes")
        : null;
}

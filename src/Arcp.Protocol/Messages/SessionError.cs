using System.Text.Json;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>session.error</c> (out): session-level or request-level failure.</summary>
/// <param name="Code">Error code.</param>
/// <param name="Message">Non-empty message.</param>
/// <param name="Retryable">Retryable flag.</param>
/// <param name="Details">Optional context object.</param>
/// <param name="Detail">Optional short string for clients that read only <c>detail</c>.</param>
/// <param name="ReplyTo">Id of the envelope this error answers.</param>
public sealed record SessionError(
    ErrorCode Code,
    string Message,
    bool Retryable,
    JsonElement? Details = null,
    string? Detail = null,
    string? ReplyTo = null) : ArcpPayload
{
    /// <summary>Returns the error as a <see cref="ProtocolError"/>.</summary>
    public ProtocolError ToProtocolError() => new(Code, Message, Details) { RequestId = ReplyTo };

    internal override ProtocolError? Validate() => PayloadChecks.First(
        string.IsNullOrEmpty(Message) ? PayloadChecks.Invalid("message", "payload.message must not be empty.") : null,
        PayloadChecks.Object(Details, "details"));
}

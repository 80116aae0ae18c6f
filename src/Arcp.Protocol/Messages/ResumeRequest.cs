namespace Arcp.Protocol.Messages;

/// <summary>The <c>session.hello</c> <c>resume</c> object in either dialect: <c>{session_id, resume_token, last_event_seq}</c> or <c>{token, last_event_seq}</c>.</summary>
/// <param name="SessionId">Session being resumed (optional; must match the token's session when present).</param>
/// <param name="ResumeToken">Resume token (reference dialect).</param>
/// <param name="Token">Resume token (alternate dialect).</param>
/// <param name="LastEventSeq">Highest <c>event_seq</c> the client processed.</param>
public sealed record ResumeRequest(string? SessionId = null, string? ResumeToken = null, string? Token = null, long? LastEventSeq = null)
{
    /// <summary>Returns a log-safe description without the token.</summary>
    public override string ToString() => $"ResumeRequest {{ SessionId = {SessionId}, LastEventSeq = {LastEventSeq} }}";
}

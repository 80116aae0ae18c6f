using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>session.resume</c> (in): resumes a session by token, replaying events after <c>last_event_seq</c>.</summary>
/// <param name="ResumeToken">The latest resume token.</param>
/// <param name="LastEventSeq">Highest processed <c>event_seq</c>; absent means no replay.</param>
/// <param name="SessionId">Optional session id, which must match the token's session.</param>
public sealed record SessionResume(string ResumeToken, long? LastEventSeq = null, string? SessionId = null) : ArcpPayload
{
    internal override ProtocolError? Validate() => PayloadChecks.First(
        PayloadChecks.NonEmpty(ResumeToken, "resume_token"),
        PayloadChecks.AtLeast(LastEventSeq, 0, "last_event_seq"));

    /// <summary>Returns a log-safe description without the token.</summary>
    public override string ToString() => $"SessionResume {{ SessionId = {SessionId}, LastEventSeq = {LastEventSeq} }}";
}

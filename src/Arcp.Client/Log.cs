using Microsoft.Extensions.Logging;

namespace Arcp.Client;

/// <summary>Client log events (EventIds 5xxx). Never tokens, never payload bodies.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Session {SessionId} opened on {Authority} with features {Features}")]
    public static partial void SessionOpened(ILogger logger, string sessionId, string authority, IReadOnlyList<string> features);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Connection of session {SessionId} dropped; resuming after seq {LastEventSeq}")]
    public static partial void ConnectionDropped(ILogger logger, Exception? exception, string sessionId, long lastEventSeq);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Reconnect attempt {Attempt} of session {SessionId} failed")]
    public static partial void ReconnectFailed(ILogger logger, Exception exception, int attempt, string sessionId);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Session {SessionId} resumed after seq {LastEventSeq} (attempt {Attempt})")]
    public static partial void SessionResumed(ILogger logger, string sessionId, long lastEventSeq, int attempt);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Session {SessionId} got event_seq {EventSeq} after {LastEventSeq}: gap, resuming to fill it")]
    public static partial void GapDetected(ILogger logger, string sessionId, long eventSeq, long lastEventSeq);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Debug, Message = "Session {SessionId} dropped duplicate event_seq {EventSeq}")]
    public static partial void DuplicateDropped(ILogger logger, string sessionId, long eventSeq);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Session {SessionId} got session.error {Code}: {Message}")]
    public static partial void UnsolicitedError(ILogger logger, string sessionId, string code, string message);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Session {SessionId} heard nothing for {Silence}; presuming the connection dead")]
    public static partial void HeartbeatLost(ILogger logger, string sessionId, TimeSpan silence);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Error, Message = "Session {SessionId} is lost")]
    public static partial void SessionLost(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "Session {SessionId} ignored an unreadable frame: {Reason}")]
    public static partial void UnreadableFrame(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Debug, Message = "Send on session {SessionId} failed; it is retried after resume if it needs a reply")]
    public static partial void SendFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Debug, Message = "Job {JobId} event {EventSeq} of kind {Kind} has a body that does not fit its kind")]
    public static partial void BodyUnreadable(ILogger logger, string jobId, long eventSeq, string kind);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Debug, Message = "Session {SessionId} closed")]
    public static partial void SessionClosed(ILogger logger, string sessionId);
}

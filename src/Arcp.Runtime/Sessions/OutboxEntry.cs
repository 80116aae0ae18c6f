namespace Arcp.Runtime.Sessions;

/// <summary>One outbox position: session seq <paramref name="Seq"/> is event <paramref name="JobEventIndex"/> of <paramref name="JobId"/>.</summary>
public sealed record OutboxEntry(long Seq, string JobId, long JobEventIndex, string TraceId, bool Redact, bool IsSubmitter);

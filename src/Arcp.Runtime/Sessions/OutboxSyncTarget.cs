namespace Arcp.Runtime.Sessions;

/// <summary>One job of a batched outbox sync: map its events up to <paramref name="JobEventCount"/>.</summary>
public sealed record OutboxSyncTarget(string JobId, long JobEventCount);

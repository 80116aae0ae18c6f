namespace Arcp.Runtime.Sessions;

/// <summary>What a sync read: the subscription row and the seq counter, each with the version it was read at.</summary>
public sealed record OutboxSyncPoint(SessionSubscription? Subscription, string SubscriptionVersion, long NextSeq, string SeqVersion);

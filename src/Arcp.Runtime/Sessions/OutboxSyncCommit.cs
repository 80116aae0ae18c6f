namespace Arcp.Runtime.Sessions;

/// <summary>The versions a sync commit left: the seq counter's, and each written subscription's in write order.</summary>
public sealed record OutboxSyncCommit(string SeqVersion, IReadOnlyList<string> SubscriptionVersions);

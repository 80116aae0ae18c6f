namespace Arcp.Runtime.Sessions;

/// <summary>A subscription row with the storage version it was read or written at.</summary>
public sealed record VersionedSubscription(SessionSubscription Subscription, string Version);

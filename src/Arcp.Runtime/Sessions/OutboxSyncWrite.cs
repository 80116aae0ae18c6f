namespace Arcp.Runtime.Sessions;

/// <summary>
/// One job's part of a sync commit: the advanced subscription (written only if the row still has
/// <paramref name="ExpectedVersion"/>) and the range row it adds.
/// </summary>
public sealed record OutboxSyncWrite(SessionSubscription Subscription, string ExpectedVersion, OutboxRange Range);

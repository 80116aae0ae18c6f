namespace Arcp.Runtime.Sessions;

/// <summary>
/// What a sync read: the seq counter and the subscription rows of the jobs it maps, each with the version it was
/// read at. A job without a row is missing from <see cref="Subscriptions"/>.
/// </summary>
public sealed record OutboxSyncPoint(long NextSeq, string SeqVersion, IReadOnlyDictionary<string, VersionedSubscription> Subscriptions);

namespace Arcp.Runtime.Sessions;

/// <summary>Outcome of <see cref="ISessionStore.SyncOutboxAsync(string, string, long, CancellationToken)"/>.</summary>
public abstract record OutboxSyncResult
{
    private OutboxSyncResult() { }

    /// <summary>The outbox covers every job event up to the count given; <paramref name="Added"/> new seqs, the last being <paramref name="LastSeq"/>.</summary>
    public sealed record Synced(int Added, long LastSeq) : OutboxSyncResult;

    /// <summary>The session does not (or no longer) receive this job.</summary>
    public sealed record NotSubscribed : OutboxSyncResult;
}

/// <summary>Outcome of <see cref="ISessionStore.ReadOutboxAsync"/>.</summary>
public abstract record OutboxRead
{
    private OutboxRead() { }

    /// <summary>Entries after the requested seq, in seq order; <paramref name="LastIssuedSeq"/> is the highest seq issued so far.</summary>
    public sealed record Entries(IReadOnlyList<OutboxEntry> Items, long LastIssuedSeq) : OutboxRead;

    /// <summary>The requested position is no longer covered (swept) or lies beyond anything issued.</summary>
    public sealed record WindowExpired(long Floor, long LastIssuedSeq) : OutboxRead;

    /// <summary>No such session.</summary>
    public sealed record NotFound : OutboxRead;
}

/// <summary>Outcome of <see cref="ISessionStore.SubscribeAsync"/>.</summary>
public abstract record SubscribeResult
{
    private SubscribeResult() { }

    /// <summary>The subscription row was written.</summary>
    public sealed record Added(SessionSubscription Subscription) : SubscribeResult;

    /// <summary>The session already receives this job.</summary>
    public sealed record AlreadySubscribed(SessionSubscription Existing) : SubscribeResult;

    /// <summary>No such session (never created, or deleted after its resume window): nothing was written.</summary>
    public sealed record SessionNotFound : SubscribeResult;
}

using System.Collections.Concurrent;
using System.Globalization;

namespace Arcp.Runtime.Sessions;

/// <summary>
/// <see cref="ISessionStore"/> in process memory, for fast tests of higher layers; a per-session lock plays the role
/// of the entity-group transaction. Held to the same contract tests as the Azure Tables store.
/// </summary>
internal sealed class InMemorySessionStore : SessionStoreBase
{
    private readonly ConcurrentDictionary<string, Partition> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _resumeTokens = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override Task<SessionSubscription?> GetSubscriptionAsync(string sessionId, string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(With(sessionId, p => p.Subscriptions.TryGetValue(jobId, out var sub) ? sub.Value : null));

    /// <inheritdoc />
    public override Task IndexResumeTokenAsync(string tokenHash, string sessionId, CancellationToken cancellationToken)
    {
        _resumeTokens[tokenHash] = sessionId;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task<string?> FindSessionByResumeTokenAsync(string tokenHash, CancellationToken cancellationToken) =>
        Task.FromResult(_resumeTokens.TryGetValue(tokenHash, out var sessionId) ? sessionId : null);

    /// <inheritdoc />
    public override Task RemoveResumeTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        _resumeTokens.TryRemove(tokenHash, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task<bool> CreateAsync(SessionState session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Task.FromResult(_sessions.TryAdd(session.SessionId, new Partition(session with { Version = "1" })));
    }

    /// <inheritdoc />
    public override Task<SessionState?> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        Task.FromResult(With(sessionId, p => (SessionState?)p.Meta));

    /// <inheritdoc />
    public override Task<SessionState?> TryUpdateAsync(SessionState expected, SessionState updated, CancellationToken cancellationToken) =>
        Task.FromResult(With(expected.SessionId, p =>
        {
            if (p.Meta.Version != expected.Version)
            {
                return null;
            }

            p.Meta = updated with { SessionId = expected.SessionId, Version = Next(expected.Version) };
            return (SessionState?)p.Meta;
        }));

    /// <inheritdoc />
    public override Task<SubscribeResult> SubscribeAsync(string sessionId, SessionSubscription subscription, CancellationToken cancellationToken) =>
        Task.FromResult(With(sessionId, p =>
        {
            if (p.Subscriptions.TryGetValue(subscription.JobId, out var existing))
            {
                return (SubscribeResult)new SubscribeResult.AlreadySubscribed(existing.Value);
            }

            p.Subscriptions[subscription.JobId] = new Versioned<SessionSubscription>(subscription, "1");
            return new SubscribeResult.Added(subscription);
        }) ?? new SubscribeResult.SessionNotFound());

    /// <inheritdoc />
    public override Task<bool> UnsubscribeAsync(string sessionId, string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(With(sessionId, p => (bool?)p.Subscriptions.Remove(jobId)) ?? false);

    /// <inheritdoc />
    public override Task<IReadOnlyList<SessionSubscription>> GetSubscriptionsAsync(string sessionId, CancellationToken cancellationToken) =>
        Task.FromResult(With(sessionId, p => (IReadOnlyList<SessionSubscription>)p.Subscriptions.Values.Select(v => v.Value).ToList()) ?? []);

    /// <inheritdoc />
    public override Task<long> GetLastIssuedSeqAsync(string sessionId, CancellationToken cancellationToken) =>
        Task.FromResult(With(sessionId, p => (long?)(p.NextSeq - 1)) ?? 0);

    /// <inheritdoc />
    public override Task<IReadOnlyList<AttachedSession>> ListAttachedAsync(string connectionPrefix, int maxCount, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AttachedSession>>(_sessions.Values
            .Select(p => { lock (p) { return p.Meta; } })
            .Where(m => m.ConnectionId is { } c && c.StartsWith(connectionPrefix, StringComparison.Ordinal))
            .Take(maxCount)
            .Select(m => new AttachedSession(m.SessionId, m.ConnectionId!, m.Features, m.LastInboundAt ?? m.CreatedAt))
            .ToList());

    /// <inheritdoc />
    /// <remarks>Nothing to forget: this store lists the sessions themselves.</remarks>
    public override Task ForgetAttachedAsync(AttachedSession attached, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override Task<IReadOnlyList<SessionState>> ListDetachedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SessionState>>(_sessions.Values
            .Select(p => { lock (p) { return p.Meta; } })
            .Where(m => m.ConnectionId is null && m.DetachedAt < cutoff)
            .Take(maxCount)
            .ToList());

    /// <inheritdoc />
    public override Task DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        _sessions.TryRemove(sessionId, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task<OutboxSyncPoint?> ReadSyncPointAsync(string sessionId, IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken) =>
        Task.FromResult(With(sessionId, p =>
        {
            var subscriptions = new Dictionary<string, VersionedSubscription>(StringComparer.Ordinal);
            foreach (var jobId in jobIds)
            {
                if (p.Subscriptions.TryGetValue(jobId, out var sub))
                {
                    subscriptions[jobId] = new VersionedSubscription(sub.Value, sub.Version);
                }
            }

            return new OutboxSyncPoint(p.NextSeq, p.SeqVersion, subscriptions);
        }));

    /// <inheritdoc />
    protected override Task<OutboxSyncCommit?> TryCommitSyncAsync(string sessionId, string seqVersion, long nextSeq, IReadOnlyList<OutboxSyncWrite> writes, CancellationToken cancellationToken) =>
        Task.FromResult(With(sessionId, p =>
        {
            if (p.SeqVersion != seqVersion)
            {
                return null;
            }

            foreach (var write in writes)
            {
                if (!p.Subscriptions.TryGetValue(write.Subscription.JobId, out var sub) || sub.Version != write.ExpectedVersion)
                {
                    return null;
                }
            }

            p.NextSeq = nextSeq;
            p.SeqVersion = Next(p.SeqVersion);
            var versions = new List<string>(writes.Count);
            foreach (var write in writes)
            {
                var subVersion = Next(p.Subscriptions[write.Subscription.JobId].Version);
                p.Subscriptions[write.Subscription.JobId] = new Versioned<SessionSubscription>(write.Subscription, subVersion);
                p.Ranges.Add(write.Range.LastSeq, write.Range);
                versions.Add(subVersion);
            }

            return new OutboxSyncCommit(p.SeqVersion, versions);
        }));

    /// <inheritdoc />
    protected override Task<IReadOnlyList<OutboxRange>> ReadRangesAsync(string sessionId, long fromSeq, int maxRanges, CancellationToken cancellationToken) =>
        Task.FromResult(With(sessionId, p => (IReadOnlyList<OutboxRange>)p.Ranges.Values.Where(r => r.LastSeq >= fromSeq).Take(maxRanges).ToList()) ?? []);

    /// <inheritdoc />
    protected override Task<int> DeleteRangesThroughAsync(string sessionId, long throughSeq, CancellationToken cancellationToken) =>
        Task.FromResult(With(sessionId, p =>
        {
            var doomed = p.Ranges.Keys.Where(last => last <= throughSeq).ToList();
            doomed.ForEach(last => p.Ranges.Remove(last));
            return (int?)doomed.Count;
        }) ?? 0);

    private T? With<T>(string sessionId, Func<Partition, T?> action)
    {
        if (!_sessions.TryGetValue(sessionId, out var partition))
        {
            return default;
        }

        lock (partition)
        {
            return action(partition);
        }
    }

    private static string Next(string version) =>
        (long.Parse(version, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);

    private sealed record Versioned<T>(T Value, string Version);

    private sealed class Partition(SessionState meta)
    {
        public SessionState Meta { get; set; } = meta;

        public long NextSeq { get; set; } = 1;

        public string SeqVersion { get; set; } = "1";

        public Dictionary<string, Versioned<SessionSubscription>> Subscriptions { get; } = new(StringComparer.Ordinal);

        public SortedList<long, OutboxRange> Ranges { get; } = [];
    }
}

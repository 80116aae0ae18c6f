using Arcp.Runtime.Storage;

namespace Arcp.Runtime.Sessions;

/// <summary>
/// Outbox ranges whose sync this node committed, kept per session so a connection on this node can send them without
/// reading the outbox back. Only committed ranges enter, so nothing is sent before its seq is durable; a reader takes
/// a run only from exactly the seq after what it delivered, so a gap (a range another node committed) sends it to
/// storage. Ranges at or below what a reader asked past are dropped; the rest is bounded per session and per node.
/// </summary>
internal sealed class RecentOutboxRanges
{
    private const int SessionLimit = 2_000;
    private const int RangesPerSession = 64;

    private readonly NodeLocalCache<string, SessionRanges> _sessions = new(SessionLimit, StringComparer.Ordinal);

    /// <summary>Records ranges just committed to <paramref name="sessionId"/>'s outbox, in seq order.</summary>
    public void Committed(string sessionId, IEnumerable<OutboxRange> ranges)
    {
        if (!_sessions.TryGet(sessionId, out var session))
        {
            session = new SessionRanges();
            _sessions.Set(sessionId, session);
        }

        lock (session)
        {
            foreach (var range in ranges)
            {
                // Two syncs of one session (the fan-out and a delivery's pull) can finish in either order: keep seq order,
                // or the reader would stop at the earlier one and wait for a poll to send the later.
                var at = session.Ranges.Count;
                while (at > 0 && session.Ranges[at - 1].FirstSeq > range.FirstSeq)
                {
                    at--;
                }

                if (at > 0 && session.Ranges[at - 1].FirstSeq == range.FirstSeq)
                {
                    continue;
                }

                session.Ranges.Insert(at, range);
            }

            if (session.Ranges.Count > RangesPerSession)
            {
                session.Ranges.RemoveRange(0, session.Ranges.Count - RangesPerSession);
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="maxCount"/> entries from seq <paramref name="afterSeq"/> + 1 on, consecutive; null when
    /// this node does not hold that seq (the caller reads storage).
    /// </summary>
    public OutboxRead.Entries? Read(string sessionId, long afterSeq, int maxCount)
    {
        if (!_sessions.TryGet(sessionId, out var session))
        {
            return null;
        }

        lock (session)
        {
            var drop = 0;
            while (drop < session.Ranges.Count && session.Ranges[drop].LastSeq <= afterSeq)
            {
                drop++;
            }

            session.Ranges.RemoveRange(0, drop);
            var next = afterSeq + 1;
            if (session.Ranges.Count == 0 || session.Ranges[0].FirstSeq > next)
            {
                return null;
            }

            var entries = new List<OutboxEntry>(Math.Min(maxCount, 1024));
            foreach (var range in session.Ranges)
            {
                if (range.FirstSeq > next)
                {
                    break;
                }

                for (var seq = next; seq <= range.LastSeq && entries.Count < maxCount; seq++)
                {
                    entries.Add(range.EntryAt(seq));
                }

                next = range.LastSeq + 1;
                if (entries.Count >= maxCount)
                {
                    break;
                }
            }

            return new OutboxRead.Entries(entries, entries[^1].Seq);
        }
    }

    /// <summary>Forgets a session (deleted, or its outbox rewritten).</summary>
    public void Forget(string sessionId) => _sessions.Remove(sessionId);

    private sealed class SessionRanges
    {
        public List<OutboxRange> Ranges { get; } = [];
    }
}

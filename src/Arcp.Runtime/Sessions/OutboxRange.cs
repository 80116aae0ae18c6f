namespace Arcp.Runtime.Sessions;

/// <summary>An outbox range row: seqs <see cref="FirstSeq"/>.. are consecutive events of one job from <see cref="FirstJobIndex"/> on.</summary>
public sealed record OutboxRange(long FirstSeq, int Count, string JobId, long FirstJobIndex, string TraceId, bool Redact, bool IsSubmitter)
{
    /// <summary>The last seq the range covers.</summary>
    public long LastSeq => FirstSeq + Count - 1;

    /// <summary>The entry at <paramref name="seq"/>, which must lie in the range.</summary>
    public OutboxEntry EntryAt(long seq) => new(seq, JobId, FirstJobIndex + (seq - FirstSeq), TraceId, Redact, IsSubmitter);
}

using Arcp.Runtime.Sessions;

namespace Arcp.Runtime.Tests.Sessions;

public sealed class RecentOutboxRangesTests
{
    private static OutboxRange Range(long firstSeq, int count, string jobId = "job_a", long firstIndex = 1) => new(firstSeq, count, jobId, firstIndex, "trace", Redact: false, IsSubmitter: true);

    [Fact]
    public void Read_ConsecutiveRanges_EntriesFromTheNextSeqAcrossRanges()
    {
        var recent = new RecentOutboxRanges();
        recent.Committed("s", [Range(1, 2), Range(3, 2, "job_b")]);

        var read = recent.Read("s", afterSeq: 1, maxCount: 10);

        Assert.NotNull(read);
        Assert.Equal([2L, 3, 4], read.Items.Select(e => e.Seq));
        Assert.Equal([2L, 1, 2], read.Items.Select(e => e.JobEventIndex));
        Assert.Equal(4, read.LastIssuedSeq);
    }

    [Fact]
    public void Read_SeqNotHeld_NullSoTheCallerReadsStorage()
    {
        var recent = new RecentOutboxRanges();
        recent.Committed("s", [Range(5, 2)]);

        Assert.Null(recent.Read("s", afterSeq: 2, maxCount: 10));
        Assert.Null(recent.Read("other", afterSeq: 0, maxCount: 10));
    }

    [Fact]
    public void Read_GapAfterARange_StopsAtTheGap()
    {
        // Seqs 3..4 were committed by another node: this one holds 1..2 and 5..6.
        var recent = new RecentOutboxRanges();
        recent.Committed("s", [Range(1, 2)]);
        recent.Committed("s", [Range(5, 2)]);

        var read = recent.Read("s", afterSeq: 0, maxCount: 10);

        Assert.Equal([1L, 2], read!.Items.Select(e => e.Seq));
        Assert.Null(recent.Read("s", afterSeq: 2, maxCount: 10));
        Assert.Equal([5L, 6], recent.Read("s", afterSeq: 4, maxCount: 10)!.Items.Select(e => e.Seq));
    }

    [Fact]
    public void Read_MaxCount_ReturnsThatManyAndTheRestNextTime()
    {
        var recent = new RecentOutboxRanges();
        recent.Committed("s", [Range(1, 5)]);

        var first = recent.Read("s", afterSeq: 0, maxCount: 3);
        var second = recent.Read("s", afterSeq: 3, maxCount: 3);

        Assert.Equal([1L, 2, 3], first!.Items.Select(e => e.Seq));
        Assert.Equal([4L, 5], second!.Items.Select(e => e.Seq));
    }

    [Fact]
    public void Committed_OlderRangeAfterANewerOne_BothServedInSeqOrder()
    {
        var recent = new RecentOutboxRanges();
        recent.Committed("s", [Range(3, 1)]);
        recent.Committed("s", [Range(1, 2)]);

        var read = recent.Read("s", afterSeq: 0, maxCount: 10);

        Assert.Equal([1L, 2, 3], read!.Items.Select(e => e.Seq));
    }

    [Fact]
    public void Forget_DropsTheSession()
    {
        var recent = new RecentOutboxRanges();
        recent.Committed("s", [Range(1, 1)]);

        recent.Forget("s");

        Assert.Null(recent.Read("s", afterSeq: 0, maxCount: 10));
    }
}

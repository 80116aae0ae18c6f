using Arcp.Runtime.Sessions.Handlers;

namespace Arcp.Runtime.Tests.Sessions.Handlers;

public sealed class JobListCursorTests
{
    [Fact]
    public void RoundTrips_UrlSafe_Unpadded()
    {
        const string JobId = "job_01JH7Z0000000000000000000?";
        var cursor = JobListCursor.Encode(JobId);

        Assert.DoesNotContain('=', cursor);
        Assert.DoesNotContain('+', cursor);
        Assert.DoesNotContain('/', cursor);
        Assert.Equal(JobId, JobListCursor.Decode(cursor));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("%%%not-base64")]
    [InlineData("c2Vzc19hYmM")] // "sess_abc": not a job id
    public void AbsentOrMalformed_StartsFromTheBeginning(string? cursor) => Assert.Null(JobListCursor.Decode(cursor));
}

using Arcp.Protocol.Messages;

namespace Arcp.Protocol.Tests.Messages;

public sealed class JobStatusesTests
{
    [Theory]
    [InlineData(JobStatus.Pending, "pending", false)]
    [InlineData(JobStatus.Running, "running", false)]
    [InlineData(JobStatus.Success, "success", true)]
    [InlineData(JobStatus.Error, "error", true)]
    [InlineData(JobStatus.Cancelled, "cancelled", true)]
    [InlineData(JobStatus.TimedOut, "timed_out", true)]
    public void ToWireName_Status_SnakeCaseAndTerminalFlag(JobStatus status, string wireName, bool terminal)
    {
        // Act
        var name = status.ToWireName();
        var parsed = JobStatuses.TryParse(wireName, out var back);

        // Assert
        Assert.Equal(wireName, name);
        Assert.Equal(terminal, status.IsTerminal());
        Assert.True(parsed);
        Assert.Equal(status, back);
    }

    [Theory]
    [InlineData("timedout")]
    [InlineData("Running")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_UnknownName_False(string? name)
    {
        // Act
        var ok = JobStatuses.TryParse(name, out _);

        // Assert
        Assert.False(ok);
    }
}

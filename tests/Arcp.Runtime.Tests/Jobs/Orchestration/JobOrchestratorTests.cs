using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;

namespace Arcp.Runtime.Tests.Jobs.Orchestration;

public sealed class JobOrchestratorTests
{
    private static readonly DateTime s_start = new(2026, 5, 13, 10, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(null, null, null, JobFinishReason.TimedOut)]
    [InlineData(60, null, 60, JobFinishReason.TimedOut)]
    [InlineData(null, 30, 30, JobFinishReason.LeaseExpired)]
    [InlineData(60, 30, 30, JobFinishReason.LeaseExpired)]
    [InlineData(20, 30, 20, JobFinishReason.TimedOut)]
    [InlineData(30, 30, 30, JobFinishReason.TimedOut)]
    public void Deadline_EarliestOfRuntimeAndLease(int? maxRuntimeSec, int? leaseInSec, int? expectedInSec, JobFinishReason expectedReason)
    {
        // Arrange
        DateTimeOffset? expiresAt = leaseInSec is { } l ? new DateTimeOffset(s_start.AddSeconds(l)) : null;

        // Act
        var (at, reason) = JobOrchestrator.Deadline(new JobStartRequest("job_1", maxRuntimeSec, expiresAt), s_start);

        // Assert
        Assert.Equal(expectedInSec is { } e ? s_start.AddSeconds(e) : null, at);
        if (at is not null)
        {
            Assert.Equal(expectedReason, reason);
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 2)]
    [InlineData(4, 4)]
    [InlineData(7, 32)]
    [InlineData(8, 60)]
    [InlineData(1000, 60)]
    public void HandBackPause_NoneForTheFirstTwoThenDoublingToAMinute(int handBacks, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), JobOrchestrator.HandBackPause(handBacks));
}

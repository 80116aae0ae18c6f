using System.Text.Json;
using Arcp.Protocol.Json;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;

namespace Arcp.Runtime.Tests.Jobs.Orchestration;

public sealed class FinishJobActivityTests : IAsyncLifetime
{
    private readonly RuntimeHarness _runtime = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Finish_PendingJobTimedOut_ClaimedThenTimedOutWithTimeoutCode()
    {
        // Arrange: the runtime ran out before any worker claimed the job (pending → timed_out has no edge).
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":3}""", shape: s => s with { MaxRuntimeSec = 1 }, start: false);
        var jobId = accepted.Payload.JobId;

        // Act
        var outcome = await _runtime.Get<FinishJobActivity>().FinishAsync(new FinishJobRequest(jobId, JobFinishReason.TimedOut), default);

        // Assert
        var state = await _runtime.JobStore.GetAsync(jobId, default);
        Assert.Equal(JobFinishOutcome.Finished, outcome);
        Assert.Equal(JobStatus.TimedOut, state!.Status);
        Assert.Equal(1, state.Attempt);
        Assert.Equal("TIMEOUT", Code(Assert.Single(await ReadAsync(jobId))));
    }

    [Fact]
    public async Task Finish_PendingJobLeaseExpired_ErrorWithoutClaim()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        var expiresAt = ArcpTimestamp.Format(DateTimeOffset.UtcNow.AddMinutes(5));
        var accepted = await _runtime.SubmitAsync(session, "echo", "1", shape: s => s with { LeaseConstraints = new LeaseConstraints(expiresAt) }, start: false);

        // Act
        var outcome = await _runtime.Get<FinishJobActivity>().FinishAsync(new FinishJobRequest(accepted.Payload.JobId, JobFinishReason.LeaseExpired), default);

        // Assert
        var state = await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default);
        Assert.Equal(JobFinishOutcome.Finished, outcome);
        Assert.Equal(JobStatus.Error, state!.Status);
        Assert.Equal(0, state.Attempt);
        Assert.Equal("LEASE_EXPIRED", Code(Assert.Single(await ReadAsync(accepted.Payload.JobId))));
    }

    [Fact]
    public async Task Finish_AlreadyTerminal_NothingWritten()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "echo", "1");
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var before = await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default);

        // Act
        var outcome = await _runtime.Get<FinishJobActivity>().FinishAsync(new FinishJobRequest(accepted.Payload.JobId, JobFinishReason.Cancelled), default);

        // Assert
        var after = await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default);
        Assert.Equal(JobFinishOutcome.AlreadyTerminal, outcome);
        Assert.Equal(before!.Version, after!.Version);
        Assert.Equal(JobStatus.Success, after.Status);
    }

    [Fact]
    public async Task Finish_TimeoutAfterCancelRequested_EndsAsCancelled()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":3}""", start: false);
        await _runtime.JobStore.RequestCancelAsync(accepted.Payload.JobId, "stop", default);

        // Act
        var outcome = await _runtime.Get<FinishJobActivity>().FinishAsync(new FinishJobRequest(accepted.Payload.JobId, JobFinishReason.TimedOut), default);

        // Assert
        Assert.Equal(JobFinishOutcome.Finished, outcome);
        Assert.Equal(JobStatus.Cancelled, (await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default))!.Status);
        Assert.Equal("CANCELLED", Code(Assert.Single(await ReadAsync(accepted.Payload.JobId))));
    }

    [Fact]
    public async Task Finish_UnknownJob_NotFound()
    {
        var outcome = await _runtime.Get<FinishJobActivity>().FinishAsync(new FinishJobRequest("job_missing", JobFinishReason.Cancelled), default);

        Assert.Equal(JobFinishOutcome.NotFound, outcome);
    }

    private async Task<IReadOnlyList<StoredJobEvent>> ReadAsync(string jobId) =>
        Assert.IsType<JobEventRead.Events>(await _runtime.JobStore.ReadEventsAsync(jobId, 1, 100, default)).Items;

    private static string? Code(StoredJobEvent e)
    {
        Assert.Equal(JobEventTypes.Error, e.Type);
        using var document = JsonDocument.Parse(e.PayloadJson);
        return document.RootElement.GetProperty("code").GetString();
    }
}

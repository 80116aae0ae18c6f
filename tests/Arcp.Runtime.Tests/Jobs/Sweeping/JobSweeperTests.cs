using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Sweeping;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Runtime.Tests.Jobs.Sweeping;

public sealed class JobSweeperTests : IAsyncLifetime
{
    private readonly RuntimeHarness _runtime = new(s => s.Configure<JobSweeperOptions>(o => o.StartMissingAfter = TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Sweep_AcceptedJobNeverStarted_StartsItAndItCompletes()
    {
        // Arrange: accepted, but the process died before the start.
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "echo", """{"x":1}""", start: false);

        // Act
        var result = await _runtime.Get<JobSweeper>().SweepAsync(_runtime.Scheduler, default);
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        // Assert
        Assert.Equal(1, result.Started);
        Assert.Equal(JobStatus.Success, (await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default))!.Status);
        Assert.Equal("job.result", Assert.Single(await _runtime.ReadEnvelopesAsync(session)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Sweep_RunningJobWithUnsyncedEvents_SyncsOutboxAndStartsNothingYoung()
    {
        // Arrange: a job whose event reached its partition but never the submitter's outbox (the fan-out died with
        // its process); it is younger than StartMissingAfter, so the sweeper must not start it.
        await using var runtime = new RuntimeHarness(s => s.Configure<JobSweeperOptions>(o => o.StartMissingAfter = TimeSpan.FromHours(1)));
        var session = await runtime.OpenSessionAsync();
        var accepted = await runtime.SubmitAsync(session, "echo", "1", start: false);
        var jobId = accepted.Payload.JobId;
        var claimed = Assert.IsType<ClaimResult.Claimed>(await runtime.JobStore.TryClaimAsync(jobId, "elsewhere", TimeSpan.FromMinutes(5), default));
        await runtime.JobStore.AppendEventsAsync(claimed.State, [new NewJobEvent("job.event", """{"kind":"log","ts":"2026-05-13T10:00:00.000Z","body":{"level":"info","message":"hi"}}""", DateTimeOffset.UtcNow, "msg_x")], null, default);

        // Act
        var result = await runtime.Get<JobSweeper>().SweepAsync(runtime.Scheduler, default);

        // Assert
        Assert.Equal(new JobSweepResult(Examined: 1, Started: 0, Synced: 1, Failed: 0), result);
        Assert.Equal(JobInstanceStatus.Missing, await runtime.Scheduler.GetInstanceStatusAsync(jobId, default));
        Assert.Equal("job.event", Assert.Single(await runtime.ReadEnvelopesAsync(session)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Sweep_WithinTheRetentionInterval_RunsRetentionOnlyOnceIdleSweepsStayCheap()
    {
        // Arrange: one session past its resume window before the first sweep, another after it.
        await using var runtime = new RuntimeHarness(s => s.Configure<JobSweeperOptions>(o => o.RetentionInterval = TimeSpan.FromHours(1)));
        var sweeper = runtime.Get<JobSweeper>();
        var first = await ExpiredSessionAsync(runtime);

        // Act
        await sweeper.SweepAsync(runtime.Scheduler, default);
        var second = await ExpiredSessionAsync(runtime);
        await sweeper.SweepAsync(runtime.Scheduler, default);

        // Assert: the first sweep's retention deleted the first session; the second sweep ran none.
        Assert.Null(await runtime.Sessions.GetAsync(first, default));
        Assert.NotNull(await runtime.Sessions.GetAsync(second, default));
    }

    private static async Task<string> ExpiredSessionAsync(RuntimeHarness runtime)
    {
        var session = await runtime.OpenSessionAsync();
        var meta = (await runtime.Sessions.GetAsync(session, default))!;
        Assert.NotNull(await runtime.Sessions.TryUpdateAsync(meta, meta with { ConnectionId = null, DetachedAt = DateTimeOffset.UtcNow.AddDays(-1) }, default));
        return session;
    }

    [Fact]
    public async Task Sweep_MoreUnfinishedJobsThanOneSweepLooksAt_SuccessiveSweepsReachEveryJob()
    {
        // Arrange: five accepted jobs whose start was lost, and a scheduler that keeps reporting them missing.
        await using var runtime = new RuntimeHarness(s => s.Configure<JobSweeperOptions>(o => (o.StartMissingAfter, o.MaxJobsPerSweep) = (TimeSpan.Zero, 2)));
        var session = await runtime.OpenSessionAsync();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await runtime.SubmitAsync(session, "echo", "1", start: false)).Payload.JobId);
        }

        var scheduler = new ScriptedScheduler(JobInstanceStatus.Missing);
        var sweeper = runtime.Get<JobSweeper>();

        // Act
        var results = new List<JobSweepResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await sweeper.SweepAsync(scheduler, default));
        }

        // Assert: each sweep stays within its bound, and together they reached all five.
        Assert.All(results, r => Assert.True(r.Examined <= 2));
        Assert.Equal(ids, scheduler.Started.ToHashSet(StringComparer.Ordinal));
        Assert.Equal(5, scheduler.Started.Count);
    }

    [Theory]
    [InlineData(JobInstanceStatus.Failed)]
    [InlineData(JobInstanceStatus.Terminated)]
    public async Task Sweep_ExecutionEndedWithoutTerminal_EndsJobOnceWithError(JobInstanceStatus instance)
    {
        // Arrange: a running job whose orchestration ended without writing its terminal (FinishJob gave up).
        var session = await _runtime.OpenSessionAsync();
        var jobId = (await _runtime.SubmitAsync(session, "echo", "1", start: false)).Payload.JobId;
        Assert.IsType<ClaimResult.Claimed>(await _runtime.JobStore.TryClaimAsync(jobId, "gone", TimeSpan.FromMinutes(5), default));
        var scheduler = new ScriptedScheduler(instance);
        var sweeper = _runtime.Get<JobSweeper>();

        // Act: two sweeps, as two nodes would run them.
        var first = await sweeper.SweepAsync(scheduler, default);
        var second = await sweeper.SweepAsync(scheduler, default);
        await _runtime.Fanout.DrainAsync(jobId, default);

        // Assert: ended once, nothing started, and the submitter sees exactly one terminal.
        Assert.Equal(1, first.Ended);
        Assert.Equal(0, second.Examined);
        Assert.Empty(scheduler.Started);
        var state = await _runtime.JobStore.GetAsync(jobId, default);
        Assert.Equal(JobStatus.Error, state!.Status);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);
        var terminal = Assert.Single(envelopes, e => e.GetProperty("type").GetString() is "job.result" or "job.error");
        Assert.Equal("job.error", terminal.GetProperty("type").GetString());
        Assert.Equal("INTERNAL_ERROR", terminal.GetProperty("payload").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Sweep_CompletedExecutionWhileAnotherWorkerHoldsTheClaim_LeavesJobAlone()
    {
        // Arrange: the instance ended normally but a live claim says a worker still runs the job.
        var session = await _runtime.OpenSessionAsync();
        var jobId = (await _runtime.SubmitAsync(session, "echo", "1", start: false)).Payload.JobId;
        Assert.IsType<ClaimResult.Claimed>(await _runtime.JobStore.TryClaimAsync(jobId, "busy", TimeSpan.FromMinutes(5), default));

        // Act
        var result = await _runtime.Get<JobSweeper>().SweepAsync(new ScriptedScheduler(JobInstanceStatus.Completed), default);

        // Assert
        Assert.Equal(0, result.Ended);
        Assert.Equal(JobStatus.Running, (await _runtime.JobStore.GetAsync(jobId, default))!.Status);
    }

    /// <summary>A scheduler whose instances all report one status; records the starts asked of it.</summary>
    private sealed class ScriptedScheduler(JobInstanceStatus status) : IJobScheduler
    {
        public List<string> Started { get; } = [];

        public Task StartAsync(JobStartRequest request, CancellationToken cancellationToken)
        {
            Started.Add(request.JobId);
            return Task.CompletedTask;
        }

        public Task RaiseCancelAsync(string jobId, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<JobInstanceStatus> GetInstanceStatusAsync(string jobId, CancellationToken cancellationToken) => Task.FromResult(status);
    }
}

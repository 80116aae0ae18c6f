using System.Text.Json;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Sweeping;
using Arcp.Runtime.Sessions;
using Arcp.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Runtime.Tests.Delivery;

/// <summary>An outbox whose sync failed reaches its session without any reader pulling it.</summary>
public sealed class OutboxSyncRepairTests : IAsyncLifetime
{
    private SyncFaultSessionStore _faults = null!;
    private RuntimeHarness _runtime = null!;

    public Task InitializeAsync()
    {
        _runtime = new RuntimeHarness(s => s.AddSingleton<ISessionStore>(_ => _faults = new SyncFaultSessionStore(new InMemorySessionStore())));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task FanoutSyncFailsWhileJobEnds_NoReader_TerminalReachesOutboxOnceStorageAnswers()
    {
        // Arrange: every sync of the job fails while it runs and ends.
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "echo", """{"x":1}""", start: false);
        var jobId = accepted.Payload.JobId;
        (_faults.JobId, _faults.Outage) = (jobId, true);
        await _runtime.Jobs.StartAsync(accepted.Start, default);
        await _runtime.Scheduler.WhenRunEndsAsync(jobId).WaitAsync(TimeSpan.FromSeconds(30));
        await _runtime.Fanout.DrainAsync(jobId, default);
        Assert.True(_faults.Failed > 0);
        Assert.Empty(await _runtime.ReadEnvelopesAsync(session));

        // Act: storage answers again; nobody reads the session.
        _faults.Outage = false;

        // Assert
        await Eventually.WaitUntilAsync(async () => (await _runtime.ReadEnvelopesAsync(session)).Count > 0, TimeSpan.FromSeconds(15));
        var envelopes = await _runtime.ReadEnvelopesAsync(session);
        Assert.Equal("job.result", Assert.Single(envelopes).GetProperty("type").GetString());
        await _runtime.Get<OutboxSyncRepair>().DrainAsync(default);
        Assert.Empty(await _runtime.Get<IOutboxSyncMarks>().ListAsync(10, default));
    }

    [Fact]
    public async Task Sweep_FinishedJobWithOwedSync_ResyncsOutboxAndClearsMark()
    {
        // Arrange: a job ended by another node whose process died right after marking the failed sync.
        var session = await _runtime.OpenSessionAsync();
        var jobId = (await _runtime.SubmitAsync(session, "echo", "1", start: false)).Payload.JobId;
        var claimed = Assert.IsType<ClaimResult.Claimed>(await _runtime.JobStore.TryClaimAsync(jobId, "elsewhere", TimeSpan.FromMinutes(5), default));
        var terminals = _runtime.Get<JobTerminals>();
        Assert.IsType<FinishResult.Finished>(await _runtime.JobStore.TryFinishAsync(jobId, terminals.Success(jobId, JsonDocument.Parse("1").RootElement), [], claimed.State, default));
        await _runtime.Get<IOutboxSyncMarks>().MarkAsync(session, jobId, default);

        // Act
        var result = await _runtime.Get<JobSweeper>().SweepAsync(_runtime.Scheduler, default);

        // Assert
        Assert.Equal(1, result.Resynced);
        Assert.Equal("job.result", Assert.Single(await _runtime.ReadEnvelopesAsync(session)).GetProperty("type").GetString());
        Assert.Empty(await _runtime.Get<IOutboxSyncMarks>().ListAsync(10, default));
    }
}

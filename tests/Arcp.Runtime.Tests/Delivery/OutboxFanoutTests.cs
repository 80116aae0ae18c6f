using Arcp.Runtime.Delivery;
using Arcp.Runtime.Sessions;
using Arcp.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Runtime.Tests.Delivery;

public sealed class OutboxFanoutTests
{
    [Fact]
    public async Task JobAppended_TerminalLandsDuringSyncInFlight_NothingLeftTracked()
    {
        // Arrange: slow syncs, so appends (the terminal one included) land while a sync is in flight.
        await using var harness = NewHarness(out var store);
        store.SyncDelay = TimeSpan.FromMilliseconds(40);
        var session = await harness.OpenSessionAsync();

        // Act
        var jobs = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            jobs.Add((await harness.SubmitAsync(session, "burst", """{"n": 100}""")).Payload.JobId);
        }

        foreach (var job in jobs)
        {
            await harness.WaitForEndAsync(job);
        }

        // Assert: every event reached the outbox, and the fan-out keeps nothing for finished work.
        var envelopes = await harness.ReadEnvelopesAsync(session);
        Assert.Equal(5, envelopes.Count(e => e.GetProperty("type").GetString() == "job.result"));
        Assert.Equal(500, envelopes.Count(e => e.GetProperty("type").GetString() == "job.event"));
        await Eventually.WaitUntilAsync(() => harness.Fanout.Tracked == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task JobAppended_SyncFailsForAWhile_RetriedUntilOutboxHoldsTheTerminal()
    {
        // Arrange: the next three outbox syncs fail, as storage in an outage would.
        await using var harness = NewHarness(out var store);
        var session = await harness.OpenSessionAsync();
        store.FailNextSyncs = 3;

        // Act: nobody reads the session, so only the fan-out (and the repair it hands a failed sync to) can map the
        // job's events into its outbox.
        var job = await harness.SubmitAsync(session, "echo", """{"x": 1}""");
        await harness.WaitForEndAsync(job.Payload.JobId);
        await harness.Get<OutboxSyncRepair>().DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        Assert.Equal(0, store.FailNextSyncs);
        var envelopes = await harness.ReadEnvelopesAsync(session);
        Assert.Equal("job.result", Assert.Single(envelopes).GetProperty("type").GetString());
    }

    private static RuntimeHarness NewHarness(out SyncFaultSessionStore store)
    {
        SyncFaultSessionStore? created = null;
        var harness = new RuntimeHarness(services => services.AddSingleton<ISessionStore>(sp =>
            created = new SyncFaultSessionStore(ActivatorUtilities.CreateInstance<InMemorySessionStore>(sp))));
        _ = harness.Sessions;
        store = created!;
        return harness;
    }
}

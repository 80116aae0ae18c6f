using Arcp.Azure.Sessions;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Host.Tests.Sessions;

/// <summary>
/// A job's outbox sync fails in a storage outage while its session is detached; the session resumes while storage
/// still fails: the terminal must reach the resumed client once storage answers, not leave it waiting forever.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SessionSyncFaultTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;
    private SyncFaultSessionStore _faults = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(
        azurite.ConnectionString,
        null,
        services => services.AddSingleton<ISessionStore>(sp => _faults = new SyncFaultSessionStore(ActivatorUtilities.CreateInstance<TableSessionStore>(sp))));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SyncFailsWhileDetached_ResumedDuringOutage_TerminalArrivesAfterOutage()
    {
        // Arrange: a job whose first events the client saw, then the client drops.
        var features = ArcpTestClient.AllFeatures.Where(f => f != "heartbeat").ToArray();
        var (client, welcome) = await _host.OpenSessionAsync("tok-alice", features);
        var token = welcome.GetProperty("payload").GetProperty("resume_token").GetString()!;
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 20, interval_ms = 100 } });
        var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        var (seen, _) = await client.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out var s) && s.GetInt64() == 2);
        (_faults.JobId, _faults.Outage) = (jobId, true);
        client.Abort();
        await client.DisposeAsync();

        // Act: the job ends during the outage, the client resumes while storage still fails, then storage recovers.
        await Eventually.WaitUntilAsync(async () => (await _host.Jobs.GetAsync(jobId, default))!.Status.IsTerminal(), TimeSpan.FromSeconds(30));
        await using var resumed = await _host.ConnectAsync();
        var again = await resumed.HelloAsync("tok-alice", features, new { resume_token = token, last_event_seq = seen.GetProperty("event_seq").GetInt64() });
        Assert.Equal("session.welcome", again.GetProperty("type").GetString());
        await Task.Delay(1500);
        _faults.Outage = false;

        // Assert: the rest arrives, gap-free, through the terminal.
        var rest = await resumed.ReceiveThroughTerminalAsync(jobId, TimeSpan.FromSeconds(20));
        Assert.Equal("job.result", rest[^1].GetProperty("type").GetString());
        var seqs = rest.Select(e => e.GetProperty("event_seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(3, seqs.Count).Select(i => (long)i), seqs);
        Assert.True(_faults.Failed > 0);
    }
}

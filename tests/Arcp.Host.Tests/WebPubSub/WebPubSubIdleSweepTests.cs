using Arcp.Testing.WebPubSub;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Host.Tests.WebPubSub;

/// <summary>
/// The Web PubSub sweep lists attached sessions from the sweep index, flushes an idle, fully delivered session at most
/// once per idle ceiling instead of on every pass, and a subscribe moves the session's stored inbound time at once so the sweep, on any node, pulls it at the
/// live rate again.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebPubSubIdleSweepTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(8);
    private readonly StorageRequestCounter _requests = new();
    private readonly string _prefix = "q" + Guid.NewGuid().ToString("N")[..10];
    private WebPubSubStandIn _service = null!;
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _service = await WebPubSubStandIn.StartAsync();
        _host = await ArcpTestHost.StartAsync(
            azurite.ConnectionString,
            _prefix,
            services => services.AddSingleton(_requests.ForRuntime()),
            [.. _service.HostSettings(), $"--Arcp:Sessions:IdleDeliveryPollCeiling={Ceiling}"]);
        _service.UpstreamUrl = new Uri(_host.Address, "/api/webpubsub");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task IdleSession_FlushedAboutOncePerCeiling_NotOnEveryPass()
    {
        // Arrange: a session whose only job ended and was delivered, past the ramp of its backoff.
        await using var client = await ConnectAsync();
        await client.HelloAsync("tok-alice", ["progress", "subscribe"]);
        await RunEchoAsync(client);
        await Task.Delay(Ceiling * 2);
        _requests.Reset();

        // Act
        var window = Ceiling * 3;
        await Task.Delay(window);

        // Assert: the sweep runs every second; each flush reads the finished job's state once. Before the backoff
        // that was a read per pass (about 24 here).
        var jobReads = _requests.Touching(_prefix + "jobs").Count(r => r.Method == "GET" && r.Path.Contains("PartitionKey=", StringComparison.Ordinal));
        Assert.InRange(jobReads, 0, (int)(window / Ceiling) + 1);
    }

    [Fact]
    public async Task IdleSessions_ListedFromTheIndex_NoScanNoSessionReadNoSubscriptionQuery()
    {
        // Arrange: three idle sessions, past the ramp of their backoff.
        var clients = new List<ArcpTestClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = await ConnectAsync();
                clients.Add(client);
                await client.HelloAsync("tok-alice", ["progress"]);
            }

            await Task.Delay(Ceiling * 2);
            _requests.Reset();

            // Act: about sixteen passes of the sweep.
            var window = Ceiling * 2;
            await Task.Delay(window);

            // Assert: no pass scans the sessions table for attached sessions (before the index, every pass did; the
            // daily scans of the sweep index's backfills may fall in the window); the sessions are not read again
            // (flushes and heartbeat decisions come from the listing and the node's last read), and their idle flushes
            // read the seq row without querying their subscriptions again.
            var sessionsTable = _requests.Touching(_prefix + "sessions");
            Assert.DoesNotContain(sessionsTable, r => r.IsTableScan && r.Filter.Contains("ConnectionId", StringComparison.Ordinal));
            Assert.DoesNotContain(sessionsTable, r => r.Method == "GET" && r.Path.Contains("meta", StringComparison.Ordinal));
            Assert.DoesNotContain(sessionsTable, r => r.Method == "GET" && r.Filter.Contains("sub:", StringComparison.Ordinal));
            Assert.Contains(sessionsTable, r => r.Method == "GET" && r.Path.Contains("'seq'", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Subscribe_RecordsTheInboundTimeAtOnce_SoTheSweepPullsTheSessionAtTheLiveRate()
    {
        // Arrange: a session that was active moments ago (so an ordinary frame would not write its inbound time).
        await using var client = await ConnectAsync();
        var welcome = await client.HelloAsync("tok-alice", ["progress", "subscribe"]);
        var sessionId = welcome.GetProperty("session_id").GetString()!;
        var jobId = await RunEchoAsync(client);
        var before = (await _host.Sessions.GetAsync(sessionId, default))!.LastInboundAt;
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        // Act
        await client.SendAsync("job.subscribe", new { job_id = jobId });
        await client.ReceiveTypeAsync("job.subscribed", TimeSpan.FromSeconds(30));

        // Assert
        var after = (await _host.Sessions.GetAsync(sessionId, default))!.LastInboundAt;
        Assert.NotNull(after);
        Assert.True(before is null || after > before, $"inbound time {before:O} → {after:O}");
    }

    private Task<ArcpTestClient> ConnectAsync() => _host.ConnectThroughWebPubSubAsync("tok-alice");

    private static async Task<string> RunEchoAsync(ArcpTestClient client)
    {
        await client.SendAsync("job.submit", new { agent = "echo", input = new { text = "hi" } });
        var jobId = (await client.ReceiveTypeAsync("job.accepted", TimeSpan.FromSeconds(30))).Match.GetProperty("job_id").GetString()!;
        await client.ReceiveThroughTerminalAsync(jobId, TimeSpan.FromSeconds(60));
        return jobId;
    }
}

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Host.Tests.Delivery;

/// <summary>
/// A connection on the node that synced its outbox is sent the synced events from memory: no outbox query per
/// wake-up, and still every seq exactly once, in order, including when several jobs sync into the session at once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalSyncDeliveryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Stream_SyncedOnThisNode_SentWithoutQueryingTheOutbox()
    {
        // Arrange: polls far apart, so only the wake-ups after local syncs deliver; every storage request counted.
        var counter = new StorageRequestCounter();
        var prefix = "s" + Guid.NewGuid().ToString("N")[..10];
        await using var host = await ArcpTestHost.StartAsync(azurite.ConnectionString, prefix, s => s.AddSingleton(counter.ForRuntime()), "--Arcp:Sessions:DeliveryPollInterval=00:00:10");
        var (client, _) = await host.OpenSessionAsync("tok-alice", "progress");
        await using var _client = client;
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 6, interval_ms = 100 } });
        var (accepted, _) = await client.ReceiveTypeAsync("job.accepted");
        var jobId = accepted.GetProperty("job_id").GetString()!;
        var (first, _) = await client.ReceiveTypeAsync("job.event", TimeSpan.FromSeconds(30));
        counter.Reset();

        // Act
        var rest = await client.ReceiveThroughTerminalAsync(jobId, TimeSpan.FromSeconds(30));

        // Assert: every event arrived in seq order, and the session table was not queried (an outbox read is a query of
        // its range rows) while they streamed.
        var seqs = new[] { first }.Concat(rest).Select(e => e.GetProperty("event_seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.Equal(7, seqs.Count);
        var queries = counter.Requests.Where(r => r.Method == "GET" && r.Path.EndsWith(prefix + "sessions()", StringComparison.Ordinal)).ToList();
        Assert.True(queries.Count == 0, $"{queries.Count} outbox queries while streaming");
    }

    [Fact]
    public async Task ManyJobs_SyncingAtOnce_EverySeqOnceInOrder()
    {
        // Arrange
        await using var host = await ArcpTestHost.StartAsync(azurite.ConnectionString);
        var (client, _) = await host.OpenSessionAsync("tok-alice", "progress");
        await using var _client = client;
        const int jobs = 6, perJob = 300;

        // Act: bursts from several jobs sync into one session concurrently while the connection drains it.
        for (var i = 0; i < jobs; i++)
        {
            await client.SendAsync("job.submit", new { agent = "burst", input = new { n = perJob } });
        }

        var seen = new List<JsonElement>();
        var terminals = 0;
        while (terminals < jobs)
        {
            var next = (await client.ReceiveAsync(TimeSpan.FromSeconds(60)))!.Value;
            seen.Add(next);
            terminals += next.GetProperty("type").GetString() is "job.result" or "job.error" ? 1 : 0;
        }

        // Assert: one gap-free seq sequence, no envelope twice, and each job's events in its own order.
        var events = seen.Where(e => e.TryGetProperty("event_seq", out _)).ToList();
        Assert.Equal(Enumerable.Range(1, jobs * (perJob + 1)).Select(i => (long)i), events.Select(e => e.GetProperty("event_seq").GetInt64()));
        Assert.Equal(events.Count, events.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        foreach (var job in events.GroupBy(e => e.GetProperty("job_id").GetString()))
        {
            var progress = job.Where(e => e.GetProperty("type").GetString() == "job.event").Select(e => e.GetProperty("payload").GetProperty("body").GetProperty("current").GetDouble()).ToList();
            Assert.Equal(perJob, progress.Count);
            Assert.Equal(progress.Order(), progress);
            Assert.Equal("job.result", job.Last().GetProperty("type").GetString());
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;

namespace Arcp.Host.Tests.WebPubSub;

/// <summary>
/// The Web PubSub delivery lease across two nodes on one storage, with REST sends slowed down: a slow burst keeps
/// its lease (renewed) so no second node sends the same frames; an inbound command is answered properly however long
/// another node's burst holds the lease; a stale burst's release cannot make a resume skip events; and
/// <c>disconnected</c> takes the lease over, so a burst still sending to the gone connection stops.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebPubSubDeliveryLeaseTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SlowBurstLongerThanTheLease_NoSecondNodeSendsTheSameFrames()
    {
        await using var nodes = await WebPubSubTwoNodes.StartAsync(azurite.ConnectionString, "--Arcp:Sessions:DeliveryLeaseDuration=00:00:03");
        await using var client = await nodes.ConnectAsync("tok-alice");
        var welcome = await client.HelloAsync("tok-alice", ["progress"]);
        var sessionId = welcome.GetProperty("session_id").GetString()!;
        nodes.SetEventLatency(TimeSpan.FromMilliseconds(300));

        // 46 event frames at 300 ms each: one burst takes about 14 s, longer than a fixed 10 s lease.
        await client.SendAsync("job.submit", new { agent = "burst", input = new { n = 45 } });
        var jobId = (await client.ReceiveTypeAsync("job.accepted", TimeSpan.FromSeconds(20))).Match.GetProperty("job_id").GetString()!;
        var secondNode = Task.Run(async () =>
        {
            // The other node's own flush, as its outbox observer or its sweep would run it, well inside the burst.
            for (var i = 0; i < 6; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                await nodes.Second.Services.GetRequiredService<Azure.WebPubSub.WebPubSubOutboxFlusher>().FlushAsync(sessionId, CancellationToken.None);
            }
        });
        var events = await client.ReceiveThroughTerminalAsync(jobId, TimeSpan.FromSeconds(60));
        await secondNode;
        var late = await DrainAsync(client, TimeSpan.FromSeconds(2));

        var seqs = events.Concat(late).Where(e => e.TryGetProperty("event_seq", out _)).Select(e => e.GetProperty("event_seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, 46).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task CommandWhileAnotherNodeHoldsTheLeaseLong_AnsweredProperly()
    {
        await using var nodes = await WebPubSubTwoNodes.StartAsync(azurite.ConnectionString);
        await using var client = await nodes.ConnectAsync("tok-alice");
        await client.HelloAsync("tok-alice", ["progress", "list_jobs"]);
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 10, interval_ms = 1500 } });
        await client.ReceiveTypeAsync("job.accepted", TimeSpan.FromSeconds(20));

        // The next event's burst (an outbox observer, on whichever node appended) spends 12 s in one REST send.
        nodes.SetEventLatency(TimeSpan.FromSeconds(12));
        for (var i = 0; i < 200 && nodes.FirstHub.InFlight + nodes.SecondHub.InFlight == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.True(nodes.FirstHub.InFlight + nodes.SecondHub.InFlight > 0, "no burst started");
        await client.SendAsync("session.list_jobs", new { });
        var (reply, _) = await client.ReceiveUntilAsync(e => e.GetProperty("type").GetString() is "session.jobs" or "session.error", TimeSpan.FromSeconds(30));

        Assert.Equal("session.jobs", reply.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ResumeWhileAStaleBurstStillSends_NoEventSkipped()
    {
        await using var nodes = await WebPubSubTwoNodes.StartAsync(azurite.ConnectionString);
        var client = await nodes.ConnectAsync("tok-alice");
        var welcome = await client.HelloAsync("tok-alice", ["progress"]);
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 20, interval_ms = 300 } });
        var jobId = (await client.ReceiveTypeAsync("job.accepted", TimeSpan.FromSeconds(20))).Match.GetProperty("job_id").GetString()!;
        await client.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out var s) && s.GetInt64() >= 5, TimeSpan.FromSeconds(20));

        // The burst sending to this connection now hangs in a REST send past the drop and the resume.
        nodes.SetEventLatency(TimeSpan.FromSeconds(4));
        for (var i = 0; i < 100 && nodes.FirstHub.InFlight + nodes.SecondHub.InFlight == 0; i++)
        {
            await Task.Delay(50);
        }

        client.Abort();
        await client.DisposeAsync();
        nodes.SetEventLatency(TimeSpan.Zero);

        // A client may resume from below what it was sent (it had not processed 3 to 5 yet).
        await using var resumed = await nodes.ConnectAsync("tok-alice");
        await resumed.HelloAsync("tok-alice", ["progress"], new
        {
            session_id = welcome.GetProperty("session_id").GetString(),
            resume_token = welcome.GetProperty("payload").GetProperty("resume_token").GetString(),
            last_event_seq = 2,
        });
        var rest = await resumed.ReceiveThroughTerminalAsync(jobId, TimeSpan.FromSeconds(40));

        Assert.Equal(Enumerable.Range(3, 19).Select(i => (long)i), rest.Where(e => e.TryGetProperty("event_seq", out _)).Select(e => e.GetProperty("event_seq").GetInt64()));
    }

    [Fact]
    public async Task Disconnected_TakesTheLeaseOver_TheBurstStopsSending()
    {
        await using var nodes = await WebPubSubTwoNodes.StartAsync(azurite.ConnectionString, "--Arcp:Sessions:DeliveryLeaseDuration=00:00:01.500");
        await using var client = await nodes.ConnectAsync("tok-alice");
        var welcome = await client.HelloAsync("tok-alice", ["progress"]);
        var connectionId = Assert.Single(nodes.Service.ConnectionIds);
        nodes.SetEventLatency(TimeSpan.FromMilliseconds(400));
        await client.SendAsync("job.submit", new { agent = "burst", input = new { n = 40 } });
        await client.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out var s) && s.GetInt64() >= 3, TimeSpan.FromSeconds(30));

        // The service reports the connection gone while a burst is still sending to it.
        await nodes.PostDisconnectedAsync(nodes.First, connectionId, welcome.GetProperty("session_id").GetString()!);
        var atDisconnect = nodes.EventSendsTo(connectionId);
        await Task.Delay(TimeSpan.FromSeconds(4));
        var after = nodes.EventSendsTo(connectionId);

        // At most the frames already in flight plus one renewal interval's worth; not the remaining ~35.
        Assert.InRange(after - atDisconnect, 0, 3);
    }

    private static async Task<List<JsonElement>> DrainAsync(ArcpTestClient client, TimeSpan quiet)
    {
        // Bounded: a runtime that keeps resending must fail the test, not hang it.
        var frames = new List<JsonElement>();
        var deadline = DateTime.UtcNow + (4 * quiet);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await client.ReceiveAsync(quiet) is not { } frame)
                {
                    return frames;
                }

                frames.Add(frame);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                return frames;
            }
        }

        return frames;
    }
}

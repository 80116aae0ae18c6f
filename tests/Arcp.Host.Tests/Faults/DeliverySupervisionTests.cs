using System.Net.WebSockets;
using System.Text.Json;
using Arcp.Testing.Faults;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Host.Tests.Faults;

/// <summary>
/// A connection's delivery loop survives storage errors: reads of the session table fail for longer than the SDK's
/// own retries (an outage of the fault policy), and delivery resumes afterwards with every event, or, when storage
/// stays down past the limit, the connection is closed with a retryable error instead of going silent.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeliverySupervisionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Delivery_SessionReadsFailLongerThanSdkRetries_ResumesWithEveryEvent()
    {
        // Arrange: session-table reads pass through a fault schedule we can open an outage on.
        var (schedule, host) = await StartAsync();
        await using var _host = host;
        var (client, _) = await host.OpenSessionAsync("tok-alice", "progress");
        await using var _client = client;
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 8, interval_ms = 1500 } });
        var (accepted, _) = await client.ReceiveTypeAsync("job.accepted");
        var jobId = accepted.GetProperty("job_id").GetString()!;
        var (first, _) = await client.ReceiveTypeAsync("job.event", TimeSpan.FromSeconds(30));

        // Act: ten seconds in which every read of the session table answers 503.
        schedule.BeginOutage();
        await Task.Delay(TimeSpan.FromSeconds(10));
        schedule.EndOutage();
        var rest = await client.ReceiveThroughTerminalAsync(jobId, TimeSpan.FromSeconds(60));

        // Assert: the outage really reached the delivery loop, and every event arrived, gap-free.
        Assert.True(schedule.Count(FaultKind.Outage) > 4, schedule.Report());
        var events = new[] { first }.Concat(rest).Where(e => e.TryGetProperty("event_seq", out _)).ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("event_seq").GetInt64()));
        Assert.Equal(8, events.Count(e => e.GetProperty("type").GetString() == "job.event"));
        Assert.Equal("job.result", events[^1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Delivery_StorageDownPastLimit_ClosedWithRetryableError()
    {
        // Arrange
        var (schedule, host) = await StartAsync("--Arcp:Sessions:DeliveryFailureLimit=00:00:03");
        await using var _host = host;
        var (client, _) = await host.OpenSessionAsync("tok-alice", "progress");
        await using var _client = client;
        await client.SendAsync("job.submit", new { agent = "echo", input = new { n = 1 } });
        await client.ReceiveTypeAsync("job.result", TimeSpan.FromSeconds(30));

        // Act: the session table stays unreadable.
        schedule.BeginOutage();
        var (error, _) = await client.ReceiveTypeAsync("session.error", TimeSpan.FromSeconds(60));
        var closed = await client.ReceiveAsync(TimeSpan.FromSeconds(30));

        // Assert: a retryable INTERNAL_ERROR, then the server closed the connection.
        Assert.Equal("INTERNAL_ERROR", error.GetProperty("payload").GetProperty("code").GetString());
        Assert.True(error.GetProperty("payload").GetProperty("retryable").GetBoolean());
        Assert.Null(closed);
        Assert.NotEqual(WebSocketState.Open, client.State);
    }

    private async Task<(FaultSchedule Schedule, ArcpTestHost Host)> StartAsync(params string[] settings)
    {
        var prefix = "s" + Guid.NewGuid().ToString("N")[..10];
        var schedule = new FaultSchedule(new FaultScheduleOptions());
        var policy = new FaultInjectionPolicy(schedule)
        {
            AppliesTo = r => r.Method == RequestMethod.Get && r.Uri.Path.Contains("/" + prefix + "sessions", StringComparison.Ordinal),
        };
        var host = await ArcpTestHost.StartAsync(azurite.ConnectionString, prefix, services => services.AddSingleton(policy.ForRuntime()), settings);
        return (schedule, host);
    }
}

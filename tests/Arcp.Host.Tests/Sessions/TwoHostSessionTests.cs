namespace Arcp.Host.Tests.Sessions;

/// <summary>
/// Invariant 5 (every node is stateless) and seed 000 (d): two host processes on one Azurite and one task hub behave
/// as one runtime for sessions too.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TwoHostSessionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("arcp-two-hosts-");
    private readonly string _taskHub = "th" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _tablePrefix = "m" + Guid.NewGuid().ToString("N")[..10];
    private HostProcess _a = null!;
    private HostProcess _b = null!;

    public async Task InitializeAsync()
    {
        _a = await StartHostAsync();
        _b = await StartHostAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _workDir.Delete(recursive: true);
    }

    [Fact]
    public async Task SessionOnA_SubscribedFromB_ResumedOnB_CancelFromBStopsTheJob()
    {
        var (onA, welcome) = await OpenAsync(_a, "tok-alice");
        await onA.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 400, interval_ms = 50 } });
        var jobId = (await onA.ReceiveTypeAsync("job.accepted", TimeSpan.FromSeconds(30))).Match.GetProperty("job_id").GetString()!;
        var (seen, _) = await onA.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out var s) && s.GetInt64() == 3, TimeSpan.FromSeconds(60));

        // A second session of the same principal, on B, observes the job.
        var (observer, _) = await OpenAsync(_b, "tok-alice-2");
        await using var _observer = observer;
        await observer.SendAsync("job.subscribe", new { job_id = jobId, history = true });
        var (subscribed, _) = await observer.ReceiveTypeAsync("job.subscribed");
        await observer.ReceiveUntilAsync(e => e.GetProperty("type").GetString() == "job.event");

        // The submitting session moves from A to B.
        onA.Abort();
        await onA.DisposeAsync();
        var (onB, again) = await OpenAsync(_b, "tok-alice", new { session_id = welcome.GetProperty("session_id").GetString(), resume_token = welcome.GetProperty("payload").GetProperty("resume_token").GetString(), last_event_seq = 3 });
        await using var _onB = onB;
        var (fourth, _) = await onB.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out _), TimeSpan.FromSeconds(30));

        // Cancel authority came along with the resume.
        await onB.SendAsync("job.cancel", new { job_id = jobId });
        var (cancelled, beforeCancelled) = await onB.ReceiveTypeAsync("job.cancelled", TimeSpan.FromSeconds(30));
        var rest = await onB.ReceiveThroughTerminalAsync(jobId, TimeSpan.FromSeconds(60));
        var observed = await observer.ReceiveThroughTerminalAsync(jobId, TimeSpan.FromSeconds(60));

        Assert.Equal("running", subscribed.GetProperty("payload").GetProperty("current_status").GetString());
        Assert.Equal(welcome.GetProperty("session_id").GetString(), again.GetProperty("session_id").GetString());
        Assert.Equal(4, fourth.GetProperty("event_seq").GetInt64());
        Assert.Equal(jobId, cancelled.GetProperty("job_id").GetString());
        Assert.Equal("CANCELLED", rest[^1].GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal("CANCELLED", observed[^1].GetProperty("payload").GetProperty("code").GetString());
        var seqs = new[] { fourth }.Concat(beforeCancelled).Concat(rest).Where(e => e.TryGetProperty("event_seq", out _)).Select(e => e.GetProperty("event_seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(4, seqs.Count).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task HostHoldingTheConnectionKilled_JobRunsOn_ResumeOnOtherHostGetsRestWithoutGap()
    {
        var (onA, welcome) = await OpenAsync(_a, "tok-alice");
        await onA.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 60, interval_ms = 100 } });
        var jobId = (await onA.ReceiveTypeAsync("job.accepted", TimeSpan.FromSeconds(30))).Match.GetProperty("job_id").GetString()!;
        await onA.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out var s) && s.GetInt64() == 5, TimeSpan.FromSeconds(60));

        await _a.KillAsync();
        await onA.DisposeAsync();

        var (onB, _) = await OpenAsync(_b, "tok-alice", new { session_id = welcome.GetProperty("session_id").GetString(), resume_token = welcome.GetProperty("payload").GetProperty("resume_token").GetString(), last_event_seq = 5 });
        await using var _onB = onB;
        var rest = await onB.ReceiveThroughTerminalAsync(jobId, TimeSpan.FromSeconds(120));

        Assert.Equal(Enumerable.Range(6, 56).Select(i => (long)i), rest.Select(e => e.GetProperty("event_seq").GetInt64()));
        Assert.Equal("job.result", rest[^1].GetProperty("type").GetString());
        Assert.Equal(Enumerable.Range(6, 55).Select(i => (double)i), rest.SkipLast(1).Select(e => e.GetProperty("payload").GetProperty("body").GetProperty("current").GetDouble()));
    }

    private static async Task<(ArcpTestClient Client, System.Text.Json.JsonElement Welcome)> OpenAsync(HostProcess host, string token, object? resume = null)
    {
        var client = await ArcpTestClient.ConnectAsync(new Uri($"ws://{host.BaseAddress.Authority}/arcp"));
        var welcome = await client.HelloAsync(token, ["progress", "subscribe", "list_jobs"], resume);
        Assert.True(welcome.GetProperty("type").GetString() == "session.welcome", welcome.GetRawText());
        return (client, welcome);
    }

    private async Task<HostProcess> StartHostAsync()
    {
        var host = HostProcess.Start(_workDir.FullName, new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Arcp__Storage__TablePrefix"] = _tablePrefix,
            ["Arcp__Durable__TaskHubName"] = _taskHub,
            ["Arcp__Durable__WorkItemQueueVisibilityTimeout"] = "00:00:10",
            ["Arcp__Durable__ControlQueueVisibilityTimeout"] = "00:00:10",
            ["Arcp__Jobs__OwnerLease"] = "00:00:10",
            ["Arcp__Jobs__StatePollInterval"] = "00:00:00.200",
            ["Arcp__Sessions__DeliveryPollInterval"] = "00:00:00.100",
            ["Arcp__Auth__Tokens__tok-alice"] = "alice",
            ["Arcp__Auth__Tokens__tok-alice-2"] = "alice",
        });
        using var healthy = await host.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        return host;
    }
}

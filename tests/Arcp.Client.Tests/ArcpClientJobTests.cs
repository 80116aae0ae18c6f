using System.Text.Json;
using Arcp.Client.Errors;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Protocol.Messages;

namespace Arcp.Client.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class ArcpClientJobTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ClientHost.StartAsync(azurite);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ConnectAsync_ValidToken_WelcomeNegotiatesFeaturesAndAgents()
    {
        // Act
        await using var client = await ClientHost.ConnectAsync(_host);

        // Assert
        Assert.StartsWith("sess_", client.Session.SessionId, StringComparison.Ordinal);
        Assert.True(client.Session.HasFeature("ack"));
        Assert.True(client.Session.HasFeature("result_chunk"));
        Assert.Contains(client.Session.Agents, a => a.Name == "countdown");
        Assert.Equal(TimeSpan.FromSeconds(30), client.Session.HeartbeatInterval);
    }

    [Fact]
    public async Task SubmitAsync_Echo_ReturnsInputInline()
    {
        // Arrange
        await using var client = await ClientHost.ConnectAsync(_host);
        var input = JsonSerializer.SerializeToElement(new { text = "hello", n = 3 });

        // Act
        var job = await client.SubmitAsync("echo", input);
        var outcome = await job.GetResultAsync();

        // Assert
        Assert.StartsWith("job_", job.JobId, StringComparison.Ordinal);
        Assert.Equal("echo@1.0.0", job.Agent);
        Assert.Equal(JobStatus.Success, outcome.Status);
        Assert.Equal(input.GetRawText(), outcome.Result!.Value.GetRawText());
        Assert.Equal(JobStatus.Success, job.FinalStatus);
    }

    [Fact]
    public async Task SubmitAsync_Countdown_TypedProgressEventsInOrder()
    {
        // Arrange
        await using var client = await ClientHost.ConnectAsync(_host);

        // Act
        var job = await client.SubmitAsync("countdown", JsonSerializer.SerializeToElement(new { steps = 5, interval_ms = 10 }));
        var events = new List<Arcp.Client.Jobs.JobEventReceived>();
        await foreach (var e in job.ReadEventsAsync())
        {
            events.Add(e);
        }

        var outcome = await job.GetResultAsync();

        // Assert
        var progress = events.Select(e => Assert.IsType<ProgressBody>(e.Body)).ToList();
        Assert.Equal([1.0, 2, 3, 4, 5], progress.Select(p => p.Current));
        Assert.All(progress, p => Assert.Equal(5, p.Total));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), events.Select(e => e.EventSeq));
        Assert.All(events, e => Assert.Equal(EventKinds.Progress, e.Kind));
        Assert.Equal(5, outcome.Result!.Value.GetProperty("steps").GetInt32());
        Assert.Equal(6, client.LastEventSeq);
    }

    [Fact]
    public async Task CancelAsync_RunningCountdown_EndsCancelled()
    {
        // Arrange
        await using var client = await ClientHost.ConnectAsync(_host);
        var job = await client.SubmitAsync("countdown", JsonSerializer.SerializeToElement(new { steps = 200, interval_ms = 50 }));
        await using (var events = job.ReadEventsAsync().GetAsyncEnumerator())
        {
            Assert.True(await events.MoveNextAsync());
        }

        // Act
        await job.CancelAsync("enough");
        var outcome = await job.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        var error = await Assert.ThrowsAsync<ArcpErrorException>(() => job.GetResultAsync());

        // Assert
        Assert.Equal(JobStatus.Cancelled, outcome.Status);
        Assert.Equal(ErrorCode.Cancelled, outcome.Error!.Code);
        Assert.Equal(ErrorCode.Cancelled, error.Code);
        Assert.Equal(JobStatus.Cancelled, error.FinalStatus);
        Assert.False(error.Retryable);
    }

    [Fact]
    public async Task CancelAsync_FinishedJob_ReturnsWithoutError()
    {
        await using var client = await ClientHost.ConnectAsync(_host);
        var job = await client.SubmitAsync("echo", JsonSerializer.SerializeToElement(1));
        await job.GetResultAsync();

        await job.CancelAsync();

        Assert.Equal(JobStatus.Success, job.FinalStatus);
    }

    [Fact]
    public async Task SubmitAsync_UnknownAgent_ThrowsAgentNotAvailable()
    {
        await using var client = await ClientHost.ConnectAsync(_host);

        var error = await Assert.ThrowsAsync<ArcpErrorException>(() => client.SubmitAsync("nope"));

        Assert.Equal(ErrorCode.AgentNotAvailable, error.Code);
        Assert.Equal("AGENT_NOT_AVAILABLE", error.CodeName);

        // The session keeps working after a refused request.
        var job = await client.SubmitAsync("echo", JsonSerializer.SerializeToElement("still here"));
        Assert.Equal("still here", (await job.GetResultAsync()).Result!.Value.GetString());
    }

    [Fact]
    public async Task SubmitAsync_ConcurrentSubmits_EachGetsItsOwnJob()
    {
        await using var client = await ClientHost.ConnectAsync(_host);

        var jobs = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.SubmitAsync("echo", JsonSerializer.SerializeToElement(i))));
        var results = await Task.WhenAll(jobs.Select(j => j.GetResultAsync()));

        Assert.Equal(8, jobs.Select(j => j.JobId).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 8), results.Select(r => r.Result!.Value.GetInt32()).Order());
    }

    [Fact]
    public async Task ConnectAsync_BadToken_ThrowsUnauthenticated()
    {
        var error = await Assert.ThrowsAsync<ArcpErrorException>(() => ClientHost.ConnectAsync(_host, "wrong-token"));

        Assert.Equal(ErrorCode.Unauthenticated, error.Code);
    }

    [Fact]
    public async Task ConnectAsync_NobodyListening_ThrowsConnectionException()
    {
        var options = ClientHost.Options(_host);
        options.Url = new Uri($"ws://127.0.0.1:{FreePorts.Next()}/arcp");

        await Assert.ThrowsAsync<ArcpConnectionException>(() => ArcpClient.ConnectAsync(options));
    }
}

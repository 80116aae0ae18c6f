using System.Text.Json;
using Arcp.Client.Errors;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;

namespace Arcp.Client.Tests;

/// <summary>The server drops the connection mid-stream: the client resumes and the caller sees nothing but the events.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ArcpClientResumeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ClientHost.StartAsync(azurite, "--Arcp:Sessions:ResumeWindowSec=2");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ServerAbortsConnectionTwiceMidStream_EveryEventDeliveredOnceInOrder()
    {
        // Arrange
        await using var client = await ClientHost.ConnectAsync(_host);
        var sessionId = client.Session.SessionId;
        const int Steps = 40;
        var job = await client.SubmitAsync("countdown", JsonSerializer.SerializeToElement(new { steps = Steps, interval_ms = 40 }));

        // Act: the server end of the socket is reset twice while events flow.
        var seen = new List<Arcp.Client.Jobs.JobEventReceived>();
        var aborted = 0;
        await foreach (var e in job.ReadEventsAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token))
        {
            seen.Add(e);
            if (seen.Count is 5 or 20)
            {
                aborted += _host.AbortConnections();
            }
        }

        var outcome = await job.GetResultAsync();

        // Assert
        Assert.True(aborted >= 2, $"aborted {aborted} server connections");
        Assert.Equal(Enumerable.Range(1, Steps).Select(i => (long)i), seen.Select(e => e.EventSeq));
        Assert.Equal(Enumerable.Range(1, Steps).Select(i => (double)i), seen.Select(e => Assert.IsType<ProgressBody>(e.Body).Current));
        Assert.Equal(Steps, outcome.Result!.Value.GetProperty("steps").GetInt32());
        Assert.Equal(sessionId, client.Session.SessionId);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ServerAbortsConnectionWhileIdle_LaterSubmitStillWorks()
    {
        await using var client = await ClientHost.ConnectAsync(_host);
        Assert.True(_host.AbortConnections() >= 1);

        var job = await client.SubmitAsync("echo", JsonSerializer.SerializeToElement("after the drop")).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("after the drop", (await job.GetResultAsync()).Result!.Value.GetString());
    }

    [Fact]
    public async Task ResumeAfterWindow_JobAndRequestsFailWithResumeWindowExpired()
    {
        // Arrange: the client waits longer than the 2 s window before resuming.
        var options = ClientHost.Options(_host);
        options.Reconnect = new ArcpReconnectPolicy(FirstDelay: TimeSpan.FromSeconds(3.5));
        await using var client = await ArcpClient.ConnectAsync(options);
        var job = await client.SubmitAsync("countdown", JsonSerializer.SerializeToElement(new { steps = 100, interval_ms = 100 }));

        // Act
        _host.AbortConnections();
        var error = await Assert.ThrowsAsync<ResumeWindowExpiredException>(() => job.Completion.WaitAsync(TimeSpan.FromSeconds(30)));

        // Assert
        Assert.Equal(ErrorCode.ResumeWindowExpired, error.Code);
        Assert.False(error.Retryable);
        await Assert.ThrowsAsync<ResumeWindowExpiredException>(() => client.SubmitAsync("echo"));
    }
}

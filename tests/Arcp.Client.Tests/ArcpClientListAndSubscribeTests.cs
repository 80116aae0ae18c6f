using System.Text.Json;
using Arcp.Client.Errors;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Protocol.Messages;

namespace Arcp.Client.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class ArcpClientListAndSubscribeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ClientHost.StartAsync(azurite);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ListJobsAsync_MoreJobsThanOnePage_VisitsEveryJobOnceAcrossPages()
    {
        // Arrange: a principal of its own, so only these jobs are listed.
        await using var client = await ClientHost.ConnectAsync(_host, "tok-bob");
        var submitted = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var job = await client.SubmitAsync("echo", JsonSerializer.SerializeToElement(i));
            await job.GetResultAsync();
            submitted.Add(job.JobId);
        }

        // Act
        var pages = new List<Arcp.Client.Listing.JobPage>();
        await foreach (var page in client.ListJobsAsync(pageSize: 3))
        {
            pages.Add(page);
        }

        // Assert
        Assert.Equal([3, 3, 1], pages.Select(p => p.Jobs.Count));
        Assert.Null(pages[^1].NextCursor);
        Assert.All(pages.SkipLast(1), p => Assert.NotNull(p.NextCursor));
        Assert.Equal(submitted, pages.SelectMany(p => p.Jobs).Select(j => j.JobId));
        Assert.All(pages.SelectMany(p => p.Jobs), j => Assert.Equal(JobStatus.Success, j.Status));
    }

    [Fact]
    public async Task ListJobsAsync_StatusFilter_OnlyMatchingJobs()
    {
        await using var client = await ClientHost.ConnectAsync(_host, "tok-bob");
        var running = await client.SubmitAsync("countdown", JsonSerializer.SerializeToElement(new { steps = 100, interval_ms = 100 }));

        var listed = new List<JobListEntry>();
        await foreach (var page in client.ListJobsAsync(new ListJobsFilter(Status: [JobStatus.Running, JobStatus.Pending])))
        {
            listed.AddRange(page.Jobs);
        }

        Assert.Contains(listed, j => j.JobId == running.JobId);
        Assert.All(listed, j => Assert.False(j.Status.IsTerminal()));
        await running.CancelAsync();
    }

    [Fact]
    public async Task SubscribeAsync_SecondClientWithHistory_SeesEveryEventOnceAndTheResult()
    {
        // Arrange: a job already half-way when the observer arrives.
        await using var owner = await ClientHost.ConnectAsync(_host);
        const int Steps = 12;
        var job = await owner.SubmitAsync("countdown", JsonSerializer.SerializeToElement(new { steps = Steps, interval_ms = 60 }));
        await using (var ownerEvents = job.ReadEventsAsync().GetAsyncEnumerator())
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.True(await ownerEvents.MoveNextAsync());
            }
        }

        // Act
        await using var observer = await ClientHost.ConnectAsync(_host, "tok-alice-2");
        var watched = await observer.SubscribeAsync(job.JobId, history: true);
        var seen = new List<Arcp.Client.Jobs.JobEventReceived>();
        await foreach (var e in watched.ReadEventsAsync())
        {
            seen.Add(e);
        }

        var outcome = await watched.GetResultAsync();

        // Assert
        Assert.Equal(job.JobId, watched.JobId);
        Assert.NotNull(watched.Subscribed);
        Assert.Equal(Enumerable.Range(1, Steps).Select(i => (double)i), seen.Select(e => Assert.IsType<ProgressBody>(e.Body).Current));
        Assert.Equal(Enumerable.Range(1, Steps).Select(i => (long)i), seen.Select(e => e.EventSeq));
        Assert.Equal(Steps, outcome.Result!.Value.GetProperty("steps").GetInt32());
    }

    [Fact]
    public async Task SubscribeAsync_FinishedJobWithHistory_ReplaysResult()
    {
        await using var owner = await ClientHost.ConnectAsync(_host);
        var job = await owner.SubmitAsync("echo", JsonSerializer.SerializeToElement("done"));
        await job.GetResultAsync();

        await using var observer = await ClientHost.ConnectAsync(_host);
        var watched = await observer.SubscribeAsync(job.JobId);
        var outcome = await watched.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("done", outcome.Result!.Value.GetString());
    }

    [Fact]
    public async Task SubscribeAsync_OtherPrincipalsJob_ThrowsPermissionDenied()
    {
        await using var owner = await ClientHost.ConnectAsync(_host);
        var job = await owner.SubmitAsync("echo", JsonSerializer.SerializeToElement(1));

        await using var stranger = await ClientHost.ConnectAsync(_host, "tok-bob");
        var error = await Assert.ThrowsAsync<ArcpErrorException>(() => stranger.SubscribeAsync(job.JobId));

        Assert.Equal(ErrorCode.PermissionDenied, error.Code);
    }
}

using Arcp.Azure.Jobs;
using Arcp.Azure.Storage;
using Arcp.Azure.Tests.Contracts;
using Arcp.Runtime.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Azure.Tests.Storage;

/// <summary>The node-local cache of last pages is bounded by the bytes it holds, not by how many jobs it covers.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PageCacheBoundTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 13, 10, 0, 0, TimeSpan.Zero));
    private ArcpStorage _storage = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _storage = new ArcpStorage(azurite.ConnectionString, "b" + Guid.NewGuid().ToString("N")[..12]);
        await _storage.EnsureCreatedAsync(CancellationToken.None);
    }

    async Task IAsyncLifetime.DisposeAsync() => await _storage.DeleteAllAsync(CancellationToken.None);

    [Fact]
    public async Task AppendEvents_LargePayloadsOnManyJobs_CacheStaysWithinItsBytes()
    {
        // Arrange: jobs each appending one large event (about 0.9 MB in memory), more than the budget in total.
        var store = new TableJobStore(_storage, _time);
        var body = new string('x', 450_000);
        var jobs = new List<string>();

        // Act
        for (var i = 0; i < 24; i++)
        {
            var definition = ContractTestBase.Definition("job_" + Guid.NewGuid().ToString("N"), _time.GetUtcNow());
            Assert.True(await store.CreateAsync(definition, "{}", default));
            var claim = Assert.IsType<ClaimResult.Claimed>(await store.TryClaimAsync(definition.JobId, "worker-1", TimeSpan.FromMinutes(5), default));
            var appended = await store.AppendEventsAsync(claim.State, [new NewJobEvent("job.event", $$"""{"kind":"log","body":"{{body}}"}""", _time.GetUtcNow(), "msg_" + i)], null, default);
            Assert.IsType<AppendResult.Appended>(appended);
            jobs.Add(definition.JobId);
        }

        // Assert: bounded, and what fell out of the cache is still read from storage.
        await Eventually.WaitUntilAsync(() => store.CachedPageBytes <= TableJobStore.PageCacheBytes, TimeSpan.FromSeconds(10));
        Assert.True(store.CachedPageBytes > 0);
        var first = Assert.IsType<JobEventRead.Events>(await store.ReadEventsAsync(jobs[0], 1, 10, default));
        Assert.Contains(body, Assert.Single(first.Items).PayloadJson, StringComparison.Ordinal);
    }
}

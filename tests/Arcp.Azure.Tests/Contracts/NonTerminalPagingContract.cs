using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;

namespace Arcp.Azure.Tests.Contracts;

/// <summary>The sweeper's paged listing of unfinished jobs: following the continuations reaches every one of them.</summary>
public abstract class NonTerminalPagingContract : ContractTestBase
{
    [Fact]
    public async Task ListNonTerminalPage_FollowingContinuations_ReachesEveryUnfinishedJobOnce()
    {
        // Arrange: seven unfinished jobs and one finished one.
        var expected = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            expected.Add((await CreateJobAsync()).JobId);
            expected.Add((await CreateRunningJobAsync()).JobId);
        }

        var finished = await CreateRunningJobAsync();
        await Stores.Jobs.TryFinishAsync(finished.JobId, Success(Time.GetUtcNow()), [], finished, default);

        // Act: pages of three.
        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await Stores.Jobs.ListNonTerminalPageAsync(continuation, 3, default);
            Assert.True(page.Jobs.Count <= 3);
            Assert.All(page.Jobs, s => Assert.False(s.Status.IsTerminal()));
            seen.AddRange(page.Jobs.Select(s => s.JobId));
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null && pages < 100);

        // Assert
        Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expected, seen.ToHashSet(StringComparer.Ordinal));
        Assert.True(pages >= 3);
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class TableNonTerminalPagingContractTests(AzuriteFixture azurite) : NonTerminalPagingContract
{
    protected override Task<StoreSet> CreateStoresAsync(TimeProvider time) => StoreSet.TablesAsync(azurite.ConnectionString, time);
}

public sealed class InMemoryNonTerminalPagingContractTests : NonTerminalPagingContract
{
    protected override Task<StoreSet> CreateStoresAsync(TimeProvider time) => StoreSet.InMemoryAsync(time);
}

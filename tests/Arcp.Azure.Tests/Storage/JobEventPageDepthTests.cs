using Arcp.Azure.Tests.Contracts;
using Arcp.Protocol.Parsing;
using Arcp.Runtime.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Azure.Tests.Storage;

/// <summary>
/// Event pages nest each payload two levels down (page array, event object): whatever depth the envelope parser
/// admits must still be stored and read back, or every later read of the job (and of its sessions' outboxes) fails.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobEventPageDepthTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 13, 10, 0, 0, TimeSpan.Zero));
    private StoreSet _stores = null!;

    async Task IAsyncLifetime.InitializeAsync() => _stores = await StoreSet.TablesAsync(azurite.ConnectionString, _time);

    async Task IAsyncLifetime.DisposeAsync() => await _stores.DisposeAsync();

    [Fact]
    public async Task ReadEvents_EventAsDeepAsTheParserAdmits_ReadBackIdentical()
    {
        // Arrange: the deepest input a job.submit may carry (envelope object, payload, then the input).
        var deepest = Nested(ArcpParserOptions.DefaultMaxDepth - 2);
        Assert.True(ArcpParser.TryParse(Submit(deepest), out _, out _));
        Assert.False(ArcpParser.TryParse(Submit(Nested(ArcpParserOptions.DefaultMaxDepth - 1)), out _, out _));
        var definition = ContractTestBase.Definition("job_" + Guid.NewGuid().ToString("N"), _time.GetUtcNow());
        Assert.True(await _stores.Jobs.CreateAsync(definition, "{}", default));
        var claim = Assert.IsType<ClaimResult.Claimed>(await _stores.Jobs.TryClaimAsync(definition.JobId, "worker-1", TimeSpan.FromMinutes(5), default));

        // Act: an event carrying that input as its body, as deep in its envelope as the input was in the submit.
        var deep = new NewJobEvent("job.event", $$$"""{"kind":"log","body":{{{deepest}}}}""", _time.GetUtcNow(), "msg_deep");
        var appended = await _stores.Jobs.AppendEventsAsync(claim.State, [deep], null, default);
        var read = await _stores.Jobs.ReadEventsAsync(definition.JobId, 1, 10, default);

        // Assert
        Assert.IsType<AppendResult.Appended>(appended);
        var stored = Assert.Single(Assert.IsType<JobEventRead.Events>(read).Items);
        Assert.Equal(deep.PayloadJson, stored.PayloadJson);
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static string Submit(string input) => $$$"""{"id":"m1","type":"job.submit","payload":{"agent":"echo","input":{{{input}}}}}""";
}

using Arcp.Azure.Jobs;
using Arcp.Azure.Storage;
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
    private ArcpStorage _storage = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _storage = new ArcpStorage(azurite.ConnectionString, "d" + Guid.NewGuid().ToString("N")[..12]);
        await _storage.EnsureCreatedAsync(CancellationToken.None);
    }

    async Task IAsyncLifetime.DisposeAsync() => await _storage.DeleteAllAsync(CancellationToken.None);

    [Fact]
    public async Task ReadEvents_EventAsDeepAsTheParserAdmits_ReadBackIdentical()
    {
        // Arrange: the deepest input a job.submit may carry (envelope object, payload, then the input).
        var deepest = Nested(ArcpParserOptions.DefaultMaxDepth - 2);
        Assert.True(ArcpParser.TryParse(Submit(deepest), out _, out _));
        Assert.False(ArcpParser.TryParse(Submit(Nested(ArcpParserOptions.DefaultMaxDepth - 1)), out _, out _));
        using var writer = new TableJobStore(_storage, _time);
        using var reader = new TableJobStore(_storage, _time);
        var definition = ContractTestBase.Definition("job_" + Guid.NewGuid().ToString("N"), _time.GetUtcNow());
        Assert.True(await writer.CreateAsync(definition, "{}", default));
        var claim = Assert.IsType<ClaimResult.Claimed>(await writer.TryClaimAsync(definition.JobId, "worker-1", TimeSpan.FromMinutes(5), default));

        // Act: an event carrying that input as its body, as deep in its envelope as the input was in the submit.
        var deep = new NewJobEvent("job.event", $$$"""{"kind":"log","body":{{{deepest}}}}""", _time.GetUtcNow(), "msg_deep");
        var appended = await writer.AppendEventsAsync(claim.State, [deep], null, default);

        // Read on another node, which has to decode the stored page.
        var read = await reader.ReadEventsAsync(definition.JobId, 1, 10, default);

        // Assert
        Assert.IsType<AppendResult.Appended>(appended);
        var stored = Assert.Single(Assert.IsType<JobEventRead.Events>(read).Items);
        Assert.Equal(deep.PayloadJson, stored.PayloadJson);
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static string Submit(string input) => $$$"""{"id":"m1","type":"job.submit","payload":{"agent":"echo","input":{{{input}}}}}""";
}

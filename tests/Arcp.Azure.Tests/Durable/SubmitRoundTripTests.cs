using Arcp.Protocol.Messages;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Azure.Tests.Durable;

/// <summary>
/// What <c>job.submit</c> costs in storage before <c>job.accepted</c>: one transaction in the job's partition, the
/// subscription and the index row written beside it, and no read of anything the node already knows.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SubmitRoundTripTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly StorageRequestCounter _counter = new();
    private DurableRuntime _runtime = null!;

    public async Task InitializeAsync() =>
        _runtime = await DurableRuntime.StartAsync(azurite.ConnectionString, workerless: true, services: s => s.AddSingleton(_counter.ForRuntime()));

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Submit_NoIdempotencyKey_OneJobTransactionNoReads()
    {
        // Arrange: a session this node opened.
        var session = await _runtime.OpenSessionAsync();
        _counter.Reset();

        // Act: everything up to the acceptance (the job is not started).
        await _runtime.SubmitAsync(session, "echo", """{"x":1}""", start: false);
        var requests = Ours();

        // Assert: the job partition is one transaction; the subscription, the principal index row and the sweep index
        // row one write each, all sent at once; no reads.
        var describe = string.Join(", ", requests.Select(r => $"{r.Method} {r.Path} {string.Join('+', r.Tables)}"));
        Assert.False(requests.Any(r => r.Method == "GET"), describe);
        Assert.True(Assert.Single(requests, r => r.Tables.Contains(_runtime.TablePrefix + "jobs")).IsBatch, describe);
        Assert.Single(requests, r => r.Tables.Contains(_runtime.TablePrefix + "sessions"));
        Assert.Single(requests, r => r.Tables.Contains(_runtime.TablePrefix + "jobindex"));
        Assert.Single(requests, r => r.Tables.Contains(_runtime.TablePrefix + "sweepindex"));
        Assert.True(requests.Count == 4, describe);
    }

    [Fact]
    public async Task Submit_SameIdempotencyKeyTwice_SecondReplaysWithoutWritingAJob()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync();
        static JobSubmit Keyed(JobSubmit s) => s with { IdempotencyKey = "key-1" };
        var first = await _runtime.SubmitAsync(session, "echo", """{"x":1}""", Keyed, start: false);
        _counter.Reset();

        // Act
        var second = await _runtime.SubmitAsync(session, "echo", """{"x":1}""", Keyed, start: false);

        // Assert: the same job, and no second job partition.
        Assert.Equal(first.Payload.JobId, second.Payload.JobId);
        Assert.True(second.Replayed);
        Assert.DoesNotContain(Ours(), r => r.Method != "GET" && r.Tables.Contains(_runtime.TablePrefix + "jobs"));
    }

    private List<StorageRequest> Ours() =>
        [.. _counter.Requests.Where(r => r.Tables.Any(t => t.StartsWith(_runtime.TablePrefix, StringComparison.Ordinal)))];
}

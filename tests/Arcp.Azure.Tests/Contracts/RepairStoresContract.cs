using Arcp.Azure.Idempotency;
using Arcp.Azure.Sessions;
using Arcp.Azure.Storage;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Idempotency;
using Arcp.Runtime.Sessions;

namespace Arcp.Azure.Tests.Contracts;

/// <summary>
/// What repair relies on, on both store kinds: owed-sync marks, subscribing to a session that is gone, and freeing an
/// idempotency key only while it still decides the job that gave up.
/// </summary>
public abstract class RepairStoresContract : IAsyncLifetime
{
    protected ISessionStore Sessions { get; set; } = null!;

    protected IOutboxSyncMarks Marks { get; set; } = null!;

    protected IIdempotencyStore Idempotency { get; set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task Subscribe_SessionDeletedOrNeverCreated_ReturnsSessionNotFound()
    {
        var result = await Sessions.SubscribeAsync("sess_gone" + Guid.NewGuid().ToString("N")[..8], new SessionSubscription("job_1", IsSubmitter: true, "5f0c2a9e8d7b6a5f4e3d2c1b0a998877", Redact: false, DeliveredIndex: 0, LastSeq: 0), default);

        Assert.IsType<SubscribeResult.SessionNotFound>(result);
    }

    [Fact]
    public async Task Marks_MarkedTwiceThenCleared_ListedOnceThenGone()
    {
        await Marks.MarkAsync("sess_a", "job_1", default);
        await Marks.MarkAsync("sess_a", "job_1", default);
        await Marks.MarkAsync("sess_b", "job_2", default);

        var listed = await Marks.ListAsync(10, default);
        await Marks.ClearAsync("sess_a", "job_1", default);
        await Marks.ClearAsync("sess_a", "job_1", default);
        var left = await Marks.ListAsync(10, default);

        Assert.Equal(2, listed.Count);
        Assert.Contains(new OutboxSyncMark("sess_a", "job_1"), listed);
        Assert.Equal([new OutboxSyncMark("sess_b", "job_2")], left);
    }

    [Fact]
    public async Task Release_KeyStillOfThatJob_FreedForANewReservation()
    {
        await Idempotency.ReserveAsync(new IdempotencyRecord("alice", "k", "h", "job_1", "{}", DateTimeOffset.UtcNow), default);

        await Idempotency.ReleaseAsync("alice", "k", "job_1", default);
        var again = await Idempotency.ReserveAsync(new IdempotencyRecord("alice", "k", "h", "job_2", "{}", DateTimeOffset.UtcNow), default);

        Assert.True(again.Won);
    }

    [Fact]
    public async Task Release_KeyOfAnotherJob_LeftAlone()
    {
        await Idempotency.ReserveAsync(new IdempotencyRecord("alice", "k", "h", "job_1", "{}", DateTimeOffset.UtcNow), default);

        await Idempotency.ReleaseAsync("alice", "k", "job_other", default);
        var again = await Idempotency.ReserveAsync(new IdempotencyRecord("alice", "k", "h", "job_2", "{}", DateTimeOffset.UtcNow), default);

        Assert.False(again.Won);
        Assert.Equal("job_1", again.Record.JobId);
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class TableRepairStoresContractTests(AzuriteFixture azurite) : RepairStoresContract
{
    private ArcpStorage _storage = null!;

    public override async Task InitializeAsync()
    {
        _storage = new ArcpStorage(azurite.ConnectionString, "t" + Guid.NewGuid().ToString("N")[..12]);
        await _storage.EnsureCreatedAsync(default);
        (Sessions, Marks, Idempotency) = (new TableSessionStore(_storage), new TableOutboxSyncMarks(_storage), new TableIdempotencyStore(_storage));
    }

    public override Task DisposeAsync() => _storage.DeleteAllAsync(default);
}

public sealed class InMemoryRepairStoresContractTests : RepairStoresContract
{
    public override Task InitializeAsync()
    {
        (Sessions, Marks, Idempotency) = (new InMemorySessionStore(), new InMemoryOutboxSyncMarks(), new InMemoryIdempotencyStore());
        return Task.CompletedTask;
    }

    public override Task DisposeAsync() => Task.CompletedTask;
}

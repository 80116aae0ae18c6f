using Arcp.Azure.Sessions;
using Arcp.Azure.Storage;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Azure.Tests.Delivery;

/// <summary>
/// The delivery lease and the per-principal session cap over each storage: two <see cref="DeliveryLease"/> or
/// <see cref="SessionCap"/> instances on one store stand for two nodes.
/// </summary>
public abstract class DeliveryLeaseContract : IAsyncLifetime
{
    private static readonly TimeSpan s_duration = TimeSpan.FromSeconds(15);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 5, 13, 10, 0, 0, TimeSpan.Zero));

    protected IDeliveryLeaseStore Leases { get; set; } = null!;

    private protected IPrincipalSlotStore Slots { get; set; } = null!;

    protected ISessionStore Sessions { get; set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task TwoNodes_OnlyOneHoldsTheLease()
    {
        var (a, b) = (NewLease(), NewLease());

        var first = await a.AcquireAsync("sess_1", "wps:c1", 0, adopt: true, TimeSpan.Zero, default);
        var second = await b.AcquireAsync("sess_1", "wps:c1", 0, adopt: true, TimeSpan.Zero, default);

        Assert.NotNull(first);
        Assert.Null(second);
    }

    [Fact]
    public async Task BurstLongerThanTheLease_RenewedSoNoOtherNodeGetsIt()
    {
        var (a, b) = (NewLease(), NewLease());
        var held = (await a.AcquireAsync("sess_1", "wps:c1", 0, adopt: true, TimeSpan.Zero, default))!;

        for (var seq = 1; seq <= 10; seq++)
        {
            Time.Advance(TimeSpan.FromSeconds(4));
            Assert.True(await held.EnsureHeldAsync(default));
            held.Advance(seq);
        }

        Assert.Null(await b.AcquireAsync("sess_1", "wps:c1", 0, adopt: true, TimeSpan.Zero, default));
        await held.ReleaseAsync(default);
        var next = await b.AcquireAsync("sess_1", "wps:c1", 0, adopt: true, TimeSpan.Zero, default);
        Assert.Equal(10, next!.DeliveredSeq);
    }

    [Fact]
    public async Task HolderThatStalledPastTheLease_StopsInsteadOfSendingBesideTheNext()
    {
        var (a, b) = (NewLease(), NewLease());
        var stalled = (await a.AcquireAsync("sess_1", "wps:c1", 0, adopt: true, TimeSpan.Zero, default))!;
        stalled.Advance(3);

        Time.Advance(s_duration + TimeSpan.FromSeconds(1));
        var next = await b.AcquireAsync("sess_1", "wps:c1", 0, adopt: true, TimeSpan.Zero, default);

        Assert.NotNull(next);
        Assert.False(await stalled.EnsureHeldAsync(default));
        Assert.True(await next!.EnsureHeldAsync(default));
    }

    [Fact]
    public async Task TakeOver_HolderStopsAtItsNextRenewal_AndItsReleaseChangesNothing()
    {
        var (a, b) = (NewLease(), NewLease());
        var held = (await a.AcquireAsync("sess_1", "wps:c1", 0, adopt: true, TimeSpan.Zero, default))!;
        held.Advance(7);

        var over = (await b.TakeOverAsync("sess_1", default))!;
        await over.ReleaseAsync(default);
        Time.Advance(TimeSpan.FromSeconds(6));
        var stillHeld = await held.EnsureHeldAsync(default);
        held.Advance(20);
        await held.ReleaseAsync(default);

        Assert.False(stillHeld);
        Assert.Equal(0, (await Leases.GetAsync("sess_1", default))!.DeliveredSeq);
    }

    [Fact]
    public async Task ReleaseRecordsProgressPerConnection_AResumeOnAnotherConnectionStartsAtItsAttachPoint()
    {
        var (a, b) = (NewLease(), NewLease());
        var old = (await a.AcquireAsync("sess_1", "wps:c1", 0, adopt: true, TimeSpan.Zero, default))!;
        old.Advance(40);
        await old.ReleaseAsync(default);

        // Bursts for a connection the row does not speak of wait for the one carrying its welcome.
        var early = await b.AcquireAsync("sess_1", "wps:c2", 25, adopt: false, TimeSpan.Zero, default);
        var resumed = await b.AcquireAsync("sess_1", "wps:c2", 25, adopt: true, TimeSpan.Zero, default);

        Assert.Null(early);
        Assert.Equal(25, resumed!.DeliveredSeq);
        Assert.Equal(25, await b.KnownDeliveredSeqAsync("sess_1", "wps:c2", 0, default));
    }

    [Fact]
    public async Task SessionCap_SharedByTwoNodes_FreedByReleaseAndByDetachedSessions()
    {
        var (a, b) = (NewCap(), NewCap());
        foreach (var id in new[] { "sess_a", "sess_b", "sess_c", "sess_d" })
        {
            Assert.True(await Sessions.CreateAsync(new SessionState { SessionId = id, Principal = "alice", CreatedAt = Time.GetUtcNow(), ConnectionId = "wps:" + id }, default));
        }

        Assert.True(await a.TryTakeAsync("alice", "sess_a", 2, default));
        Assert.True(await b.TryTakeAsync("alice", "sess_b", 2, default));
        var third = await b.TryTakeAsync("alice", "sess_c", 2, default);
        await a.ReleaseAsync("alice", "sess_a", default);
        var afterRelease = await b.TryTakeAsync("alice", "sess_c", 2, default);

        // sess_b detached without its slot being released (a node went away): the cap checks before refusing.
        var b1 = (await Sessions.GetAsync("sess_b", default))!;
        await Sessions.TryUpdateAsync(b1, b1 with { ConnectionId = null, DetachedAt = Time.GetUtcNow() }, default);
        var afterDetach = await a.TryTakeAsync("alice", "sess_d", 2, default);

        Assert.False(third);
        Assert.True(afterRelease);
        Assert.True(afterDetach);
        Assert.True(await a.TryTakeAsync("bob", "sess_x", 2, default));
    }

    [Fact]
    public async Task SessionCap_150SessionsOfOnePrincipalClosedAtOnce_BatchedIntoAFewWrites()
    {
        var counting = new CountingSlots(Slots);
        var cap = new SessionCap(counting, Sessions, Time, Options.Create(new ArcpSessionOptions()));
        var ids = Enumerable.Range(0, 150).Select(i => $"sess_{i:D3}").ToList();
        Assert.All(await Task.WhenAll(ids.Select(id => cap.TryTakeAsync("alice", id, 1000, default))), Assert.True);
        var writesToOpen = counting.Writes;

        await Task.WhenAll(ids.Select(id => cap.ReleaseAsync("alice", id, default)));

        // One conditional write per change would be 150 each way, more with the lost races.
        Assert.Empty((await Slots.GetAsync("alice", default)).SessionIds);
        Assert.InRange(writesToOpen, 1, 20);
        Assert.InRange(counting.Writes - writesToOpen, 1, 20);
    }

    [Fact]
    public async Task SessionCap_30TakesAtOnceOnTwoNodes_ExactlyTheLimitGetIn()
    {
        var (a, b) = (NewCap(), NewCap());
        for (var i = 0; i < 30; i++)
        {
            Assert.True(await Sessions.CreateAsync(new SessionState { SessionId = $"sess_{i:D2}", Principal = "alice", CreatedAt = Time.GetUtcNow(), ConnectionId = $"wps:c{i}" }, default));
        }

        var taken = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => (i % 2 == 0 ? a : b).TryTakeAsync("alice", $"sess_{i:D2}", 10, default)));

        Assert.Equal(10, taken.Count(t => t));
        Assert.Equal(10, (await Slots.GetAsync("alice", default)).SessionIds.Count);
    }

    [Fact]
    public async Task SessionCap_TwoThousandSessionsOfOnePrincipal_AllCounted()
    {
        // About a thousand session ids fill one 64 KiB string property; the row spreads them over the entity.
        var cap = NewCap();
        var ids = Enumerable.Range(0, 2000).Select(i => $"sess_01JTESTSESSIONIDPADDING{i:D5}").ToList();

        var taken = await Task.WhenAll(ids.Select(id => cap.TryTakeAsync("alice", id, 5000, default)));
        await cap.ReleaseAsync("alice", ids[7], default);

        Assert.All(taken, Assert.True);
        var row = await Slots.GetAsync("alice", default);
        Assert.Equal(1999, row.SessionIds.Count);
        Assert.Equal(ids.Where((_, i) => i != 7).Order(StringComparer.Ordinal), row.SessionIds.Order(StringComparer.Ordinal));
    }

    private DeliveryLease NewLease() => new(Leases, Time, Options.Create(new ArcpSessionOptions { DeliveryLeaseDuration = s_duration }), NullLogger<DeliveryLease>.Instance);

    private SessionCap NewCap() => new(Slots, Sessions, Time, Options.Create(new ArcpSessionOptions()));
}

[Collection(AzuriteCollection.Name)]
public sealed class TableDeliveryLeaseContractTests(AzuriteFixture azurite) : DeliveryLeaseContract
{
    private ArcpStorage _storage = null!;

    public override async Task InitializeAsync()
    {
        _storage = new ArcpStorage(azurite.ConnectionString, "d" + Guid.NewGuid().ToString("N")[..12]);
        await _storage.EnsureCreatedAsync(CancellationToken.None);
        Leases = new TableDeliveryLeaseStore(_storage);
        Slots = new TablePrincipalSlotStore(_storage);
        Sessions = new TableSessionStore(_storage);
    }

    public override Task DisposeAsync() => _storage.DeleteAllAsync(CancellationToken.None);
}

public sealed class InMemoryDeliveryLeaseContractTests : DeliveryLeaseContract
{
    public override Task InitializeAsync()
    {
        Leases = new InMemoryDeliveryLeaseStore();
        Slots = new InMemoryPrincipalSlotStore();
        Sessions = new InMemorySessionStore();
        return Task.CompletedTask;
    }

    public override Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>Counts the slot row's writes.</summary>
internal sealed class CountingSlots(IPrincipalSlotStore inner) : IPrincipalSlotStore
{
    private int _writes;

    public int Writes => Volatile.Read(ref _writes);

    public Task<PrincipalSlots> GetAsync(string principal, CancellationToken cancellationToken) => inner.GetAsync(principal, cancellationToken);

    public Task<bool> TryWriteAsync(PrincipalSlots expected, IReadOnlyList<string> sessionIds, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        return inner.TryWriteAsync(expected, sessionIds, cancellationToken);
    }
}

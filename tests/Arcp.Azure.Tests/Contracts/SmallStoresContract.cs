using System.Text;
using Arcp.Runtime.Credentials;
using Arcp.Runtime.Idempotency;
using Arcp.Runtime.Jobs;

namespace Arcp.Azure.Tests.Contracts;

/// <summary>Contract of the principal job index, the idempotency keys and the credential ledger.</summary>
public abstract class SmallStoresContract : ContractTestBase
{
    [Fact]
    public async Task Index_250JobsSameCreatedAtPagedBy7_EachListedExactlyOnceInIdOrder()
    {
        var createdAt = Time.GetUtcNow();
        var ids = Enumerable.Range(0, 250).Select(i => $"job_{i:D4}{Guid.NewGuid():N}"[..20]).ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
            await Stores.Index.AddAsync(new JobIndexEntry("alice", id, "echo@1", createdAt, "sess_1", "t", null), ct));
        await Stores.Index.AddAsync(new JobIndexEntry("bob", "job_bob", "echo@1", createdAt, "sess_2", "t", null), default);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        while (true)
        {
            var page = await Stores.Index.ListAsync("alice", cursor, 7, default);
            if (page.Count == 0)
            {
                break;
            }

            pages++;
            Assert.True(page.Count <= 7);
            seen.AddRange(page.Select(e => e.JobId));
            cursor = page[^1].JobId;
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
        Assert.Equal(36, pages);
    }

    [Fact]
    public async Task Index_CursorOfRemovedJob_StillContinuesAfterIt()
    {
        foreach (var id in new[] { "job_a", "job_b", "job_c" })
        {
            await Stores.Index.AddAsync(new JobIndexEntry("alice", id, "echo@1", Time.GetUtcNow(), "s", "t", null), default);
        }

        await Stores.Index.RemoveAsync("alice", "job_b", default);
        var page = await Stores.Index.ListAsync("alice", "job_b", 10, default);

        Assert.Equal(["job_c"], page.Select(e => e.JobId));
    }

    [Fact]
    public async Task Index_PrincipalWithKeyUnsafeCharacters_IsolatedFromLookalikes()
    {
        await Stores.Index.AddAsync(new JobIndexEntry("tenant/alice#1?", "job_1", "echo@1", Time.GetUtcNow(), "s", "t", null), default);
        await Stores.Index.AddAsync(new JobIndexEntry("tenant%2Falice%231%3F", "job_2", "echo@1", Time.GetUtcNow(), "s", "t", null), default);

        var first = await Stores.Index.ListAsync("tenant/alice#1?", null, 10, default);
        var second = await Stores.Index.ListAsync("tenant%2Falice%231%3F", null, 10, default);

        Assert.Equal("job_1", Assert.Single(first).JobId);
        Assert.Equal("tenant/alice#1?", first[0].Principal);
        Assert.Equal("job_2", Assert.Single(second).JobId);
    }

    [Fact]
    public async Task Idempotency_16ConcurrentReservationsOneKey_ExactlyOneWinsAllSeeIt()
    {
        var reservations = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            Stores.Idempotency.ReserveAsync(new IdempotencyRecord("alice", "key-1", "hash", $"job_{i}", "{}", Time.GetUtcNow()), default))));

        var winner = Assert.Single(reservations, r => r.Won);
        Assert.All(reservations, r => Assert.Equal(winner.Record.JobId, r.Record.JobId));
    }

    [Fact]
    public async Task Idempotency_SameKeyDifferentParameters_ReturnsExistingForConflict()
    {
        await Stores.Idempotency.ReserveAsync(new IdempotencyRecord("alice", "key-1", "hash-a", "job_1", """{"job_id":"job_1"}""", Time.GetUtcNow()), default);

        var second = await Stores.Idempotency.ReserveAsync(new IdempotencyRecord("alice", "key-1", "hash-b", "job_2", "{}", Time.GetUtcNow()), default);

        Assert.False(second.Won);
        Assert.Equal("hash-a", second.Record.ParametersHash);
        Assert.Equal("job_1", second.Record.JobId);
        Assert.Equal("""{"job_id":"job_1"}""", second.Record.AcceptedPayloadJson);
    }

    [Fact]
    public async Task Idempotency_SameKeyOtherPrincipal_NoCollision()
    {
        await Stores.Idempotency.ReserveAsync(new IdempotencyRecord("alice", "key-1", "h", "job_1", "{}", Time.GetUtcNow()), default);

        var bob = await Stores.Idempotency.ReserveAsync(new IdempotencyRecord("bob", "key-1", "h", "job_2", "{}", Time.GetUtcNow()), default);

        Assert.True(bob.Won);
    }

    [Fact]
    public async Task Idempotency_Sweep_RemovesOnlyOldKeys()
    {
        await Stores.Idempotency.ReserveAsync(new IdempotencyRecord("alice", "old", "h", "job_1", "{}", Time.GetUtcNow()), default);
        Time.Advance(TimeSpan.FromHours(25));
        await Stores.Idempotency.ReserveAsync(new IdempotencyRecord("alice", "new", "h", "job_2", "{}", Time.GetUtcNow()), default);

        var removed = await Stores.Idempotency.SweepAsync(Time.GetUtcNow() - TimeSpan.FromHours(24), default);

        Assert.Equal(1, removed);
        Assert.True((await Stores.Idempotency.ReserveAsync(new IdempotencyRecord("alice", "old", "h", "job_3", "{}", Time.GetUtcNow()), default)).Won);
        Assert.False((await Stores.Idempotency.ReserveAsync(new IdempotencyRecord("alice", "new", "h", "job_4", "{}", Time.GetUtcNow()), default)).Won);
    }

    [Fact]
    public async Task Credentials_RecordRevokeAndFailures_Tracked()
    {
        var secret = Encoding.UTF8.GetBytes("protected-bytes");
        await Stores.Credentials.RecordIssuedAsync(
            [
                new CredentialLedgerEntry("job_1", "cred_a", "gateway", secret, Time.GetUtcNow(), null),
                new CredentialLedgerEntry("job_1", "cred_b", "gateway", secret, Time.GetUtcNow(), Time.GetUtcNow().AddHours(1)),
            ],
            default);
        await Stores.Credentials.RecordIssuedAsync([new CredentialLedgerEntry("job_1", "cred_a", "gateway", [], Time.GetUtcNow(), null)], default);

        await Stores.Credentials.MarkRevokedAsync("job_1", "cred_a", default);
        await Stores.Credentials.RecordRevokeFailureAsync("job_1", "cred_b", "503 from gateway", default);
        await Stores.Credentials.RecordRevokeFailureAsync("job_1", "cred_b", "timeout", default);

        var all = await Stores.Credentials.ListAsync("job_1", default);
        var outstanding = Assert.Single(await Stores.Credentials.ListOutstandingAsync("job_1", default));
        Assert.Equal(2, all.Count);
        Assert.Equal(secret, all.Single(c => c.CredentialId == "cred_a").ProtectedValue);
        Assert.Equal("cred_b", outstanding.CredentialId);
        Assert.Equal(2, outstanding.RevokeAttempts);
        Assert.Equal("timeout", outstanding.LastRevokeError);
    }

    [Fact]
    public async Task Credentials_DescriptionRoundTrips_WhatReplaysShowAgain()
    {
        await Stores.Credentials.RecordIssuedAsync(
            [
                new CredentialLedgerEntry("job_2", "cred_c", "gateway", [1, 2, 3], Time.GetUtcNow(), Time.GetUtcNow().AddHours(1))
                {
                    Endpoint = "https://gateway.test/v1",
                    Profile = "fast",
                    CostBudget = ["USD:2.00", "EUR:1.00"],
                    ModelUse = ["tier-fast/*"],
                },
                new CredentialLedgerEntry("job_2", "cred_d", "gateway", [4], Time.GetUtcNow(), null) { Endpoint = "https://other.test" },
            ],
            default);

        var all = (await Stores.Credentials.ListAsync("job_2", default)).OrderBy(c => c.CredentialId).ToList();

        Assert.Equal("https://gateway.test/v1", all[0].Endpoint);
        Assert.Equal("fast", all[0].Profile);
        Assert.Equal(["USD:2.00", "EUR:1.00"], all[0].CostBudget);
        Assert.Equal(["tier-fast/*"], all[0].ModelUse);
        Assert.Equal("https://other.test", all[1].Endpoint);
        Assert.Null(all[1].Profile);
        Assert.Null(all[1].CostBudget);
        Assert.Null(all[1].ModelUse);
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class TableSmallStoresContractTests(AzuriteFixture azurite) : SmallStoresContract
{
    protected override Task<StoreSet> CreateStoresAsync(TimeProvider time) => StoreSet.TablesAsync(azurite.ConnectionString, time);
}

public sealed class InMemorySmallStoresContractTests : SmallStoresContract
{
    protected override Task<StoreSet> CreateStoresAsync(TimeProvider time) => StoreSet.InMemoryAsync(time);
}

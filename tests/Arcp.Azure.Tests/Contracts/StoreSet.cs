using Arcp.Azure.Credentials;
using Arcp.Azure.Idempotency;
using Arcp.Azure.Jobs;
using Arcp.Azure.Sessions;
using Arcp.Azure.Storage;
using Arcp.Runtime.Credentials;
using Arcp.Runtime.Idempotency;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;

namespace Arcp.Azure.Tests.Contracts;

/// <summary>One implementation of every storage port, as a contract test sees it.</summary>
public sealed record StoreSet(
    IJobStore Jobs,
    ISessionStore Sessions,
    IPrincipalJobIndex Index,
    IIdempotencyStore Idempotency,
    ICredentialLedger Credentials,
    Func<Task> DisposeAsync)
{
    public static Task<StoreSet> InMemoryAsync(TimeProvider time) => Task.FromResult(new StoreSet(
        new InMemoryJobStore(time),
        new InMemorySessionStore(),
        new InMemoryPrincipalJobIndex(),
        new InMemoryIdempotencyStore(),
        new InMemoryCredentialLedger(),
        () => Task.CompletedTask));

    public static async Task<StoreSet> TablesAsync(string connectionString, TimeProvider time)
    {
        var storage = new ArcpStorage(connectionString, "t" + Guid.NewGuid().ToString("N")[..12]);
        await storage.EnsureCreatedAsync(CancellationToken.None);
        return new StoreSet(
            new TableJobStore(storage, time),
            new TableSessionStore(storage),
            new TablePrincipalJobIndex(storage),
            new TableIdempotencyStore(storage),
            new TableCredentialLedger(storage),
            () => storage.DeleteAllAsync(CancellationToken.None));
    }
}

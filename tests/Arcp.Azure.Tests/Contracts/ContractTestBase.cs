using System.Globalization;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.Time.Testing;

using Arcp.Protocol.Messages;

namespace Arcp.Azure.Tests.Contracts;

/// <summary>
/// Base of every storage contract suite. Each suite is abstract and runs twice: against Azure Tables on Azurite and
/// against the in-memory stores, so a behaviour that differs between them fails a test.
/// </summary>
public abstract class ContractTestBase : IAsyncLifetime
{
    private static long s_ids;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 5, 13, 10, 0, 0, TimeSpan.Zero));

    protected StoreSet Stores { get; private set; } = null!;

    protected abstract Task<StoreSet> CreateStoresAsync(TimeProvider time);

    async Task IAsyncLifetime.InitializeAsync() => Stores = await CreateStoresAsync(Time);

    async Task IAsyncLifetime.DisposeAsync() => await Stores.DisposeAsync();

    protected static string NewId(string prefix) =>
        prefix + Interlocked.Increment(ref s_ids).ToString("D8", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..8];

    protected JobDefinition NewDefinition(string? jobId = null, string principal = "alice", IReadOnlyDictionary<string, decimal>? budget = null) =>
        Definition(jobId ?? NewId("job_"), Time.GetUtcNow(), principal, budget);

    /// <summary>A plain <c>echo</c> job of <paramref name="principal"/>, for store-level tests.</summary>
    internal static JobDefinition Definition(string jobId, DateTimeOffset createdAt, string principal = "alice", IReadOnlyDictionary<string, decimal>? budget = null) => new(
        jobId,
        principal,
        "sess_owner",
        "echo@1.0.0",
        """{"tool.call":["search.*"]}""",
        null,
        null,
        null,
        "5f0c2a9e8d7b6a5f4e3d2c1b0a998877",
        null,
        createdAt,
        budget ?? new Dictionary<string, decimal>(),
        ["progress"]);

    protected async Task<JobState> CreateJobAsync(string? jobId = null)
    {
        var definition = NewDefinition(jobId);
        Assert.True(await Stores.Jobs.CreateAsync(definition, """{"n":1}""", default));
        return (await Stores.Jobs.GetAsync(definition.JobId, default))!;
    }

    protected async Task<JobState> CreateRunningJobAsync()
    {
        var job = await CreateJobAsync();
        var claim = Assert.IsType<ClaimResult.Claimed>(await Stores.Jobs.TryClaimAsync(job.JobId, "worker-1", TimeSpan.FromMinutes(5), default));
        return claim.State;
    }

    protected static NewJobEvent LogEvent(int n, DateTimeOffset at) =>
        new("job.event", $$$"""{"kind":"log","ts":"2026-05-13T10:00:00.000Z","body":{"level":"info","message":"event {{{n}}}"}}""", at, NewId("msg_"));

    protected static JobTermination Success(DateTimeOffset at) =>
        JobTermination.Create(JobStatus.Success, new NewJobEvent("job.result", """{"final_status":"success","result":{"ok":true}}""", at, NewId("msg_")));

    protected static JobTermination Failure(JobStatus status, string code, DateTimeOffset at) =>
        JobTermination.Create(status, new NewJobEvent("job.error", $$"""{"final_status":"{{status.ToWireName()}}","code":"{{code}}","message":"ended","retryable":false}""", at, NewId("msg_")));

    protected async Task<List<StoredJobEvent>> ReadAllEventsAsync(string jobId)
    {
        var read = Assert.IsType<JobEventRead.Events>(await Stores.Jobs.ReadEventsAsync(jobId, 1, int.MaxValue, default));
        return [.. read.Items];
    }

    protected async Task<string> CreateSessionAsync(string principal = "alice")
    {
        var sessionId = NewId("sess_");
        Assert.True(await Stores.Sessions.CreateAsync(new SessionState { SessionId = sessionId, Principal = principal, CreatedAt = Time.GetUtcNow() }, default));
        return sessionId;
    }

    protected async Task<List<OutboxEntry>> ReadWholeOutboxAsync(string sessionId)
    {
        var read = Assert.IsType<OutboxRead.Entries>(await Stores.Sessions.ReadOutboxAsync(sessionId, 0, int.MaxValue, default));
        return [.. read.Items];
    }
}

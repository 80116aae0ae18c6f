using Arcp.Runtime.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Azure.Tests.Durable;

/// <summary>
/// Every storage write of one <c>echo</c> job, submit to the terminal in its submitter's outbox, on the real Durable
/// backend: the per-job write bill of <c>docs/benchmarks.md</c>, held here so a change that adds a write fails.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EchoJobWritesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly StorageRequestCounter _counter = new();
    private DurableRuntime _runtime = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }
    }

    [Fact]
    public async Task EchoJob_ClaimStoredWithTheTerminal_SevenWrites()
    {
        // Arrange: the claim deferred (opt-in); a session, and a first job so tables, caches and the worker are warm.
        await StartAsync(claimDeferral: TimeSpan.FromMilliseconds(300));
        var session = await _runtime.OpenSessionAsync();
        await RunEchoAsync(session);
        _counter.Reset();

        // Act
        await RunEchoAsync(session);

        // Assert: the job partition is written twice — its create, and one commit holding the claim and the terminal;
        // the submitter's subscription at submit and one outbox sync; the principal index row; the sweep index's open
        // row at submit and its move to the finished side.
        AssertWrites(jobs: 2, sessions: 2, jobIndex: 1, sweepIndex: 2);
    }

    [Fact]
    public async Task EchoJob_Default_ClaimStoredBeforeTheAgent_OneJobWriteMore()
    {
        // The default: the claim is a commit of its own, stored before the agent starts.
        await StartAsync(claimDeferral: null);
        var session = await _runtime.OpenSessionAsync();
        await RunEchoAsync(session);
        _counter.Reset();

        await RunEchoAsync(session);

        AssertWrites(jobs: 3, sessions: 2, jobIndex: 1, sweepIndex: 2);
    }

    private async Task StartAsync(TimeSpan? claimDeferral) =>
        _runtime = await DurableRuntime.StartAsync(
            azurite.ConnectionString,
            configure: settings =>
            {
                if (claimDeferral is { } deferral)
                {
                    settings["Arcp:Jobs:ClaimDeferral"] = deferral.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
                }
            },
            services: s => s.AddSingleton(_counter.ForRuntime()));

    private void AssertWrites(int jobs, int sessions, int jobIndex, int sweepIndex)
    {
        var writes = Ours().Where(r => r.Method != "GET").ToList();
        var describe = string.Join(", ", writes.Select(r => $"{r.Method} {r.Path} {string.Join('+', r.Tables)}"));
        Assert.True(writes.Count(r => r.Tables.Contains(Table("jobs"))) == jobs, describe);
        Assert.True(writes.Count(r => r.Tables.Contains(Table("sessions"))) == sessions, describe);
        Assert.True(writes.Count(r => r.Tables.Contains(Table("jobindex"))) == jobIndex, describe);
        Assert.True(writes.Count(r => r.Tables.Contains(Table("sweepindex"))) == sweepIndex, describe);
        Assert.True(writes.Count == jobs + sessions + jobIndex + sweepIndex, describe);
    }

    private async Task RunEchoAsync(string session)
    {
        var accepted = await _runtime.SubmitAsync(session, "echo", """{"x":1}""");
        var jobId = accepted.Payload.JobId;
        await _runtime.WaitTerminalAsync(jobId, TimeSpan.FromSeconds(60));

        // The terminal reaches the submitter's outbox right after the terminal commit; the sweep index row moves too.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await _runtime.Sessions.GetSubscriptionAsync(session, jobId, default) is not { DeliveredIndex: > 0 })
        {
            Assert.True(DateTime.UtcNow < deadline, $"The terminal of {jobId} never reached the outbox.");
            await Task.Delay(20);
        }

        await Task.Delay(500);
    }

    private string Table(string name) => _runtime.TablePrefix + name;

    private List<StorageRequest> Ours() =>
        [.. _counter.Requests.Where(r => r.Tables.Any(t => t.StartsWith(_runtime.TablePrefix, StringComparison.Ordinal)))];
}

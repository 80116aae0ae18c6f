using System.Text.Json;
using Arcp.Agents;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Runtime.Tests;

/// <summary>The runtime on in-memory storage with the in-process scheduler: fast tests of jobs end to end.</summary>
internal sealed class RuntimeHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public RuntimeHarness(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddArcpRuntime(o => o.StatePollInterval = TimeSpan.FromMilliseconds(50));
        services.AddArcpInMemoryStorage();
        services.AddArcpInProcessScheduler();
        services.AddArcpBuiltInAgents();
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();

        // No host runs the hosted services here; the worker only starts its loop, so this completes at once.
        _services.GetRequiredService<InProcessJobWorker>().StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public JobService Jobs => _services.GetRequiredService<JobService>();

    public IJobStore JobStore => _services.GetRequiredService<IJobStore>();

    public ISessionStore Sessions => _services.GetRequiredService<ISessionStore>();

    public OutboxReader Outbox => _services.GetRequiredService<OutboxReader>();

    public InProcessJobScheduler Scheduler => _services.GetRequiredService<InProcessJobScheduler>();

    public JobRunner Runner => _services.GetRequiredService<JobRunner>();

    public OutboxFanout Fanout => _services.GetRequiredService<OutboxFanout>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public async Task<string> OpenSessionAsync(string principal = "alice", params string[] features)
    {
        var id = "sess_" + Guid.NewGuid().ToString("N");
        await Sessions.CreateAsync(new SessionState { SessionId = id, Principal = principal, CreatedAt = DateTimeOffset.UtcNow, Features = features.Length == 0 ? ["progress", "result_chunk"] : features }, default);
        return id;
    }

    public async Task<SubmitOutcome.Accepted> SubmitAsync(string sessionId, string agent, string inputJson = "null", string principal = "alice", Func<JobSubmit, JobSubmit>? shape = null, bool start = true)
    {
        var submit = new JobSubmit(agent, JsonDocument.Parse(inputJson).RootElement.Clone());
        submit = shape?.Invoke(submit) ?? submit;
        var meta = await Sessions.GetAsync(sessionId, default);
        var outcome = await Jobs.SubmitAsync(new SubmitRequest(principal, sessionId, meta!.Features, submit, "msg_req", null), default);
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(outcome);
        if (start)
        {
            await Jobs.StartAsync(accepted.Start, default);
        }

        return accepted;
    }

    /// <summary>Waits for the job's run to end and its events to reach the submitter's outbox.</summary>
    public async Task WaitForEndAsync(string jobId)
    {
        await Scheduler.WhenRunEndsAsync(jobId).WaitAsync(TimeSpan.FromSeconds(30));
        await Fanout.DrainAsync(jobId, default);
    }

    /// <summary>The session's envelopes as parsed JSON.</summary>
    public async Task<List<JsonElement>> ReadEnvelopesAsync(string sessionId)
    {
        var batch = Assert.IsType<OutboxBatch.Envelopes>(await Outbox.ReadAsync(sessionId, 0, 100_000, default));
        return batch.Items.Select(e => JsonDocument.Parse(e.Utf8).RootElement.Clone()).ToList();
    }

    /// <summary>The bodies of the <c>job.event</c> envelopes of one kind, in order.</summary>
    public static List<JsonElement> EventBodies(List<JsonElement> envelopes, string kind) =>
        envelopes.Where(e => e.GetProperty("type").GetString() == "job.event" && e.GetProperty("payload").GetProperty("kind").GetString() == kind)
            .Select(e => e.GetProperty("payload").GetProperty("body"))
            .ToList();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

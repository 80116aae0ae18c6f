using System.Text.Json;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Runtime;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Agents.Sdk.Testing;

/// <summary>
/// Runs one agent as a job of the real ARCP runtime on in-memory storage: the same runner, lease and budget
/// enforcement, group-commit writer and durable-step records as in production, without a storage emulator. Each
/// <see cref="RunAsync"/> submits one job, runs it on the calling process (optionally crashing or cancelling it
/// between durable steps) and returns what a client would have seen.
/// </summary>
public sealed class AgentTestHost : IAsyncDisposable
{
    private const string AgentName = "agent-under-test";
    private readonly ServiceProvider _services;
    private readonly Func<IServiceProvider, IAgent> _factory;
    private readonly AsyncLocal<StepInterceptor?> _current = new();

    private AgentTestHost(Func<IServiceProvider, IAgent> factory, Action<IServiceCollection>? configureServices)
    {
        _factory = factory;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);

        // A short owner lease: a re-run after a simulated crash takes the job over without a long wait.
        services.AddArcpRuntime(o =>
        {
            o.StatePollInterval = TimeSpan.FromMilliseconds(50);
            o.OwnerLease = TimeSpan.FromSeconds(2);
        });
        services.AddArcpInMemoryStorage();
        services.AddArcpInProcessScheduler();
        configureServices?.Invoke(services);
        services.AddArcpAgent(AgentName, "1.0.0", sp => new InterceptingAgent(_factory(sp), _current.Value ?? new StepInterceptor(new AgentRunOptions(), new CancellationTokenSource(), () => Task.CompletedTask)), isDefault: true);
        _services = services.BuildServiceProvider();
    }

    /// <summary>The test host's services (the agent's dependencies, the runtime's ports).</summary>
    public IServiceProvider Services => _services;

    /// <summary>A host for <typeparamref name="TAgent"/>, created per run from the container.</summary>
    /// <param name="configureServices">Registers the agent's dependencies (and, if it delegates, other agents with <c>AddArcpAgent</c>).</param>
    public static AgentTestHost For<TAgent>(Action<IServiceCollection>? configureServices = null)
        where TAgent : class, IAgent =>
        new(sp => ActivatorUtilities.CreateInstance<TAgent>(sp), configureServices);

    /// <summary>A host for the agent <paramref name="factory"/> creates per run.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public static AgentTestHost For(Func<IServiceProvider, IAgent> factory, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new(factory, configureServices);
    }

    /// <summary>Submits one job to the agent, runs it to its end and returns its events and outcome.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The runtime refused the submission (the lease request is invalid, ...).</exception>
    public async Task<AgentRun> RunAsync(AgentRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        var ct = timeout.Token;

        var sessionId = "sess_" + Guid.NewGuid().ToString("N");
        await _services.GetRequiredService<ISessionStore>().CreateAsync(
            new SessionState { SessionId = sessionId, Principal = options.Principal, CreatedAt = TimeProvider.System.GetUtcNow(), Features = options.Features }, ct).ConfigureAwait(false);

        using var input = JsonDocument.Parse(options.InputJson);
        var submit = new JobSubmit(AgentName, input.RootElement.Clone(), options.Lease, options.ExpiresAt is null ? null : new LeaseConstraints(options.ExpiresAt));
        // Child jobs the agent delegates run on the in-process worker; the job under test runs right here.
        await _services.GetRequiredService<InProcessJobWorker>().StartAsync(ct).ConfigureAwait(false);
        var jobs = _services.GetRequiredService<JobService>();
        var outcome = await jobs.SubmitAsync(new SubmitRequest(options.Principal, sessionId, options.Features, submit, "msg_test", null), ct).ConfigureAwait(false);
        if (outcome is not SubmitOutcome.Accepted accepted)
        {
            var error = outcome is SubmitOutcome.Rejected rejected ? $"{rejected.Error.Code}: {rejected.Error.Message}" : outcome.ToString();
            throw new InvalidOperationException($"The job was not accepted: {error}");
        }

        var jobId = accepted.Payload.JobId;
        using var crash = new CancellationTokenSource();
        var interceptor = new StepInterceptor(options, crash, () => jobs.CancelAsync(options.Principal, sessionId, jobId, "cancelled by the test", ct));
        _current.Value = interceptor;
        var runner = _services.GetRequiredService<JobRunner>();
        using (var firstAttempt = CancellationTokenSource.CreateLinkedTokenSource(ct, crash.Token))
        {
            var first = await runner.RunAsync(jobId, firstAttempt.Token).ConfigureAwait(false);
            if (first is JobRunOutcome.Abandoned or JobRunOutcome.Superseded)
            {
                ct.ThrowIfCancellationRequested();

                // What the Durable backend does after a worker died: hand the activity out again.
                await runner.RunAsync(jobId, ct).ConfigureAwait(false);
            }
        }

        _current.Value = null;
        return await ReadRunAsync(jobId, interceptor.Runs, ct).ConfigureAwait(false);
    }

    private async Task<AgentRun> ReadRunAsync(string jobId, int runs, CancellationToken cancellationToken)
    {
        var store = _services.GetRequiredService<IJobStore>();
        var stored = new List<StoredJobEvent>();
        while (await store.ReadEventsAsync(jobId, stored.Count + 1, 1000, cancellationToken).ConfigureAwait(false) is JobEventRead.Events { Items.Count: > 0 } page)
        {
            stored.AddRange(page.Items);
        }

        var captured = new List<AgentEvent>();
        var streamed = new Dictionary<string, List<byte[]>>(StringComparer.Ordinal);
        string status = "unknown";
        JsonElement? result = null;
        string? resultId = null, errorCode = null, errorMessage = null;
        foreach (var item in stored)
        {
            using var document = JsonDocument.Parse(item.PayloadJson);
            var payload = document.RootElement;
            switch (item.Type)
            {
                case JobEventTypes.Event:
                    var kind = payload.GetProperty("kind").GetString()!;
                    var body = payload.GetProperty("body").Clone();
                    captured.Add(new AgentEvent(kind, body));
                    if (kind == "result_chunk")
                    {
                        var data = body.GetProperty("data").GetString()!;
                        var bytes = body.GetProperty("encoding").GetString() == "base64" ? Convert.FromBase64String(data) : System.Text.Encoding.UTF8.GetBytes(data);
                        var id = body.GetProperty("result_id").GetString()!;
                        (streamed.TryGetValue(id, out var list) ? list : streamed[id] = []).Add(bytes);
                    }

                    break;
                case JobEventTypes.Result:
                    status = "success";
                    result = payload.TryGetProperty("result", out var inline) ? inline.Clone() : null;
                    resultId = payload.TryGetProperty("result_id", out var rid) ? rid.GetString() : null;
                    break;
                case JobEventTypes.Error:
                    status = payload.GetProperty("final_status").GetString()!;
                    errorCode = payload.GetProperty("code").GetString();
                    errorMessage = payload.GetProperty("message").GetString();
                    break;
            }
        }

        var streamedBytes = resultId is not null && streamed.TryGetValue(resultId, out var chunks) ? chunks.SelectMany(c => c).ToArray() : null;
        return new AgentRun(jobId, status, result, streamedBytes, errorCode, errorMessage, captured, runs);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

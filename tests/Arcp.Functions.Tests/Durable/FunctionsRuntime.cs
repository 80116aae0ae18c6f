using System.Text.Json;
using Arcp.Azure.Storage;
using Arcp.Functions.Jobs;
using Arcp.Functions.Sessions;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Arcp.Runtime.Jobs.Sweeping;
using Arcp.Runtime.Sessions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Arcp.Functions.Tests.Durable;

/// <summary>
/// The Functions app's composition (<see cref="ArcpFunctionsApplication.ConfigureServices"/>) on Azurite tables, with
/// a running Durable engine (the in-process gRPC backend) in place of the Functions host: the engine invokes the
/// function classes themselves, each created from the container per invocation as the worker does, with a
/// <see cref="DurableTaskClient"/> where the function binds <c>[DurableClient]</c>.
/// </summary>
internal sealed class FunctionsRuntime : IAsyncDisposable
{
    private readonly IHost _host;

    private FunctionsRuntime(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public DurableTaskClient Client => Services.GetRequiredService<DurableTaskClient>();

    public JobService Jobs => Services.GetRequiredService<JobService>();

    public IJobStore JobStore => Services.GetRequiredService<IJobStore>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The jobs whose <c>RevokeCredentials</c> activity ran, once per invocation.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> RevokedJobs { get; } = new();

    /// <summary>A function class as the worker makes it for one invocation.</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    public static async Task<FunctionsRuntime> StartAsync(string connectionString, Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [StorageOptions.ConnectionSettingName] = connectionString,
            ["Arcp:Storage:TablePrefix"] = "t" + Guid.NewGuid().ToString("N")[..12],
            ["Arcp:Jobs:StatePollInterval"] = "00:00:00.200",
            ["Arcp:Durable:CancelGracePeriod"] = "00:00:02",
            ["Arcp:Sweeper:StartMissingAfter"] = "00:00:00",
        };
        configure?.Invoke(settings);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging(b => b.AddConsole().SetMinimumLevel(LogLevel.Warning));
        ArcpFunctionsApplication.ConfigureServices(builder.Services, builder.Configuration);
        services?.Invoke(builder.Services);

        FunctionsRuntime? runtime = null;
        FunctionsRuntime Runtime() => runtime ?? throw new InvalidOperationException("The engine ran a task before the host was built.");
        builder.Services.AddInMemoryDurableTask(registry =>
        {
            // Typed input, as the Functions host hands the orchestrator its input for GetInput<JobStartRequest>().
            registry.AddOrchestratorFunc<JobStartRequest, JobOrchestrationResult>(
                ArcpTaskRegistry.JobOrchestration,
                (context, _) => Runtime().Function<JobOrchestratorFunction>().RunAsync(context));
            registry.AddActivityFunc<string, JobRunOutcome>(
                ArcpTaskRegistry.RunAgent,
                (_, jobId) => Runtime().Function<RunAgentFunction>().RunAsync(jobId, Runtime().Client));
            registry.AddActivityFunc<FinishJobRequest, JobFinishOutcome>(
                ArcpTaskRegistry.FinishJob,
                (_, request) => Runtime().Function<FinishJobFunction>().RunAsync(request, Runtime().Client, CancellationToken.None));
            registry.AddActivityFunc<string, int>(
                ArcpTaskRegistry.RevokeCredentials,
                (_, jobId) =>
                {
                    Runtime().RevokedJobs.Enqueue(jobId);
                    return Runtime().Function<RevokeCredentialsFunction>().RunAsync(jobId, Runtime().Client, CancellationToken.None);
                });
        }, new InMemoryDurableTaskOptions { Port = FreePorts.Next() });

        var host = builder.Build();
        runtime = new FunctionsRuntime(host);
        await host.Services.GetRequiredService<ArcpStorage>().EnsureCreatedAsync(default);
        await host.StartAsync();
        return runtime;
    }

    /// <summary>The timer function of the job sweeper, as the host fires it.</summary>
    public Task<JobSweepResult> SweepJobsAsync() => Function<JobSweeperFunction>().RunAsync(new TimerInfo(), Client, CancellationToken.None);

    /// <summary>The timer function of the Web PubSub sweeper, as the host fires it.</summary>
    public Task SweepWebPubSubAsync() => Function<WebPubSubSweeperFunction>().RunAsync(new TimerInfo(), Client, CancellationToken.None);

    public async Task<string> OpenSessionAsync(params string[] features)
    {
        var id = "sess_" + Guid.NewGuid().ToString("N");
        await Get<ISessionStore>().CreateAsync(
            new SessionState { SessionId = id, Principal = "alice", CreatedAt = DateTimeOffset.UtcNow, Features = features.Length == 0 ? ["progress"] : features },
            default);
        return id;
    }

    /// <summary>
    /// Submits as the upstream function does: records the job, then starts its orchestration through the scheduler
    /// over the invocation's Durable client.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(string sessionId, string agent, string inputJson = "null", Func<JobSubmit, JobSubmit>? shape = null, bool start = true)
    {
        var submit = new JobSubmit(agent, JsonDocument.Parse(inputJson).RootElement.Clone());
        submit = shape?.Invoke(submit) ?? submit;
        var session = await Get<ISessionStore>().GetAsync(sessionId, default);
        var outcome = await Jobs.SubmitAsync(new SubmitRequest("alice", sessionId, session!.Features, submit, "msg_" + Guid.NewGuid().ToString("N"), null), default);
        if (start && outcome is SubmitOutcome.Accepted accepted)
        {
            using (AmbientJobScheduler.Bind(Client))
            {
                await Jobs.StartAsync(accepted.Start, default);
            }
        }

        return outcome;
    }

    public Task<JobState> WaitTerminalAsync(string jobId, TimeSpan? timeout = null) =>
        JobStore.WaitTerminalAsync(jobId, timeout ?? TimeSpan.FromSeconds(30));

    public async Task<OrchestrationMetadata> WaitInstanceEndedAsync(string jobId, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        return await Client.WaitForInstanceCompletionAsync(jobId, getInputsAndOutputs: true, cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            if (_host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }
        }
    }
}

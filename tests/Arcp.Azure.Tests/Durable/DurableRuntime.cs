using System.Text.Json;
using Arcp.Agents;
using Arcp.Azure.Durable;
using Arcp.Azure.Storage;
using Arcp.Protocol.Messages;
using Arcp.Runtime;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Arcp.Azure.Tests.Durable;

/// <summary>
/// The runtime on Azure Tables with the real Durable Task backend on Azurite, in this process: its own tables and its
/// own task hub, so tests never see each other's jobs or queue messages. Hosted services (tables, worker) are started
/// here; <paramref name="workerless"/> leaves the worker out (a process that only submits).
/// </summary>
internal sealed class DurableRuntime : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _started = [];
    private bool _disposed;

    private DurableRuntime(ServiceProvider services, string taskHubName, string tablePrefix)
    {
        _services = services;
        TaskHubName = taskHubName;
        TablePrefix = tablePrefix;
    }

    public string TaskHubName { get; }

    public string TablePrefix { get; }

    public JobService Jobs => _services.GetRequiredService<JobService>();

    public IJobStore JobStore => _services.GetRequiredService<IJobStore>();

    public ISessionStore Sessions => _services.GetRequiredService<ISessionStore>();

    public IJobScheduler Scheduler => _services.GetRequiredService<IJobScheduler>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Settings every process of one test shares (also handed to host processes as environment variables).</summary>
    public static Dictionary<string, string?> Settings(string connectionString, string taskHubName, string tablePrefix) => new()
    {
        [StorageOptions.ConnectionSettingName] = connectionString,
        ["Arcp:Storage:TablePrefix"] = tablePrefix,
        ["Arcp:Durable:TaskHubName"] = taskHubName,
        ["Arcp:Durable:MaxQueuePollingInterval"] = "00:00:00.500",
        ["Arcp:Durable:WorkItemQueueVisibilityTimeout"] = "00:00:10",
        ["Arcp:Durable:ControlQueueVisibilityTimeout"] = "00:00:10",
        ["Arcp:Durable:PartitionCount"] = "2",
        ["Arcp:Jobs:OwnerLease"] = "00:00:10",
        ["Arcp:Jobs:StatePollInterval"] = "00:00:00.200",
    };

    public static string NewTaskHubName() => "t" + Guid.NewGuid().ToString("N")[..16];

    public static string NewTablePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The settings as environment variables of a host process (<c>A:B</c> spelled <c>A__B</c>).</summary>
    public static Dictionary<string, string> Environment(Dictionary<string, string?> settings) =>
        settings.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);

    public static async Task<DurableRuntime> StartAsync(
        string connectionString,
        bool workerless = false,
        Action<Dictionary<string, string?>>? configure = null,
        string? taskHubName = null,
        string? tablePrefix = null,
        Action<IServiceCollection>? services = null)
    {
        var hub = taskHubName ?? NewTaskHubName();
        var prefix = tablePrefix ?? NewTablePrefix();
        var settings = Settings(connectionString, hub, prefix);
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddArcpAzureRuntime(configuration);
        // A submit-only client may accept flaky jobs: it never runs an agent itself.
        collection.AddArcpBuiltInAgents(includeFlaky: workerless);
        if (workerless)
        {
            collection.AddArcpDurableTaskClient(configuration);
        }
        else
        {
            collection.AddArcpDurableTaskBackend(configuration);
        }

        services?.Invoke(collection);
        var runtime = new DurableRuntime(collection.BuildServiceProvider(), hub, prefix);
        await runtime._services.GetRequiredService<ArcpStorage>().EnsureCreatedAsync(default);
        foreach (var hosted in runtime._services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(default);
            runtime._started.Add(hosted);
        }

        return runtime;
    }

    public async Task<string> OpenSessionAsync(string principal = "alice")
    {
        var id = "sess_" + Guid.NewGuid().ToString("N");
        await Sessions.CreateAsync(new SessionState { SessionId = id, Principal = principal, CreatedAt = DateTimeOffset.UtcNow, Features = ["progress", "result_chunk"] }, default);
        return id;
    }

    public async Task<SubmitOutcome.Accepted> SubmitAsync(string sessionId, string agent, string inputJson = "null", Func<JobSubmit, JobSubmit>? shape = null, bool start = true)
    {
        var submit = new JobSubmit(agent, JsonDocument.Parse(inputJson).RootElement.Clone());
        submit = shape?.Invoke(submit) ?? submit;
        var outcome = await Jobs.SubmitAsync(new SubmitRequest("alice", sessionId, ["progress", "result_chunk"], submit, "msg_req", null), default);
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(outcome);
        if (start)
        {
            await Jobs.StartAsync(accepted.Start, default);
        }

        return accepted;
    }

    /// <summary>Polls the state row until the job is terminal.</summary>
    public Task<JobState> WaitTerminalAsync(string jobId, TimeSpan timeout) => JobStore.WaitTerminalAsync(jobId, timeout);

    /// <summary>Polls the scheduler until the job's instance has ended; returns how long that took.</summary>
    public async Task<TimeSpan> WaitInstanceCompletedAsync(string jobId, TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        while (await Scheduler.GetInstanceStatusAsync(jobId, default) != JobInstanceStatus.Completed)
        {
            if (DateTime.UtcNow - started > timeout)
            {
                throw new TimeoutException($"The instance of job {jobId} is still running after {timeout}.");
            }

            await Task.Delay(100);
        }

        return DateTime.UtcNow - started;
    }

    public async Task<List<StoredJobEvent>> ReadEventsAsync(string jobId)
    {
        var read = Assert.IsType<JobEventRead.Events>(await JobStore.ReadEventsAsync(jobId, 1, int.MaxValue, default));
        return [.. read.Items];
    }

    public ValueTask DisposeAsync() => DisposeAsync(deleteStorage: true);

    /// <summary>Stops the hosted services; <paramref name="deleteStorage"/> false leaves tables and task hub to another runtime.</summary>
    public async ValueTask DisposeAsync(bool deleteStorage)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(timeout.Token);
        }

        try
        {
            if (!deleteStorage)
            {
                await _services.DisposeAsync();
                return;
            }

            await _services.GetRequiredService<DurableTaskHub>().Service.DeleteAsync();
            await _services.GetRequiredService<ArcpStorage>().DeleteAllAsync(default);
        }
        catch (global::Azure.RequestFailedException)
        {
            // Best effort: the next run uses other names anyway.
        }

        await _services.DisposeAsync();
    }
}

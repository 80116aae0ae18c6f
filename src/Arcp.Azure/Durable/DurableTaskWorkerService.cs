using Arcp.Runtime.Jobs.Orchestration;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Arcp.Azure.Durable;

/// <summary>
/// Hosts DurableTask.Core's <see cref="TaskHubWorker"/> on the Azure Storage task hub, running the registry's
/// orchestrator and activity classes through the public shims; activities are resolved from the container for each
/// work item. Start-up does not wait for storage (the host still serves its health endpoint while storage is down): the
/// worker starts in the background, retrying until the task hub can be created. Stop stops the worker, after the
/// host's stopping token already told running agents to abandon their runs for redelivery.
/// </summary>
internal sealed partial class DurableTaskWorkerService(
    DurableTaskHub hub,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    TimeProvider timeProvider,
    ILogger<DurableTaskWorkerService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _starting = Task.CompletedTask;
    private TaskHubWorker? _worker;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _starting = Task.Run(() => StartWorkerAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _starting.ConfigureAwait(false);
        if (_worker is { } worker)
        {
            try
            {
                await worker.StopAsync(isForced: false).WaitAsync(cancellationToken).ConfigureAwait(false);
                LogStopped(logger);
            }
            catch (OperationCanceledException)
            {
                LogStopTimedOut(logger);
            }
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task StartWorkerAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await hub.EnsureCreatedAsync(stoppingToken).ConfigureAwait(false);
                var worker = CreateWorker();
                await worker.StartAsync().ConfigureAwait(false);
                _worker = worker;
                LogStarted(logger, hub.TaskHubName);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogStartFailed(logger, ex, attempt);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private TaskHubWorker CreateWorker()
    {
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions(), loggerFactory);
        var worker = new TaskHubWorker(hub.Service, loggerFactory)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };

        worker.AddTaskOrchestrations([.. ArcpTaskRegistry.Orchestrators.Select(task => (ObjectCreator<TaskOrchestration>)new ShimObjectCreator<TaskOrchestration>(
            task.Name,
            () => shims.CreateOrchestration(new TaskName(task.Name), (ITaskOrchestrator)services.GetRequiredService(task.Type), parent: null)))]);
        worker.AddTaskActivities([.. ArcpTaskRegistry.Activities.Select(task => (ObjectCreator<TaskActivity>)new ShimObjectCreator<TaskActivity>(
            task.Name,
            () => new RedeliveringTaskActivity(shims.CreateActivity(new TaskName(task.Name), (ITaskActivity)services.GetRequiredService(task.Type)))))]);
        return worker;
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Durable Task worker started on task hub {TaskHub}")]
    private static partial void LogStarted(ILogger logger, string taskHub);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Durable Task worker could not start yet (attempt {Attempt})")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Durable Task worker stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Durable Task worker did not stop within the host's shutdown timeout")]
    private static partial void LogStopTimedOut(ILogger logger);
}

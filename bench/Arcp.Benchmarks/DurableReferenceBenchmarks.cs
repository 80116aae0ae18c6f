using System.Diagnostics;
using DurableTask.AzureStorage;
using DurableTask.Core;
using static Arcp.Benchmarks.Measurements;

namespace Arcp.Benchmarks;

/// <summary>
/// The substrate reference for job execution: plain DurableTask.Core on the Azure Storage backend (same settings as the
/// host: 1 s max polling), a trivial orchestration with one activity. Measured in the same run as the job figures.
/// </summary>
internal sealed class DurableReferenceBenchmarks(string connectionString, TextWriter output)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> s_activityStarted = new();

    public async Task<(double Rate, double StartP50)> RunAsync(int orchestrations)
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = "ref" + Guid.NewGuid().ToString("N")[..10],
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
            PartitionCount = 4,
        });
        await service.CreateIfNotExistsAsync();
        var worker = new TaskHubWorker(service);
        worker.AddTaskOrchestrations(typeof(TrivialOrchestration));
        worker.AddTaskActivities(typeof(TrivialActivity));
        await worker.StartAsync();
        var client = new TaskHubClient(service);
        try
        {
            // Warm up, then schedule → activity start one at a time.
            await RunOneAsync(client, TimeSpan.FromSeconds(60));
            var starts = new List<double>();
            for (var i = 0; i < 30; i++)
            {
                var scheduled = Stopwatch.GetTimestamp();
                var instance = await client.CreateOrchestrationInstanceAsync(typeof(TrivialOrchestration), Guid.NewGuid().ToString("N"));
                await client.WaitForOrchestrationAsync(instance, TimeSpan.FromSeconds(60));
                starts.Add(Stopwatch.GetElapsedTime(scheduled, s_activityStarted[instance.InstanceId]).TotalMilliseconds);
            }

            // Throughput: schedule them all at once and count finished activities — the point where an echo job's
            // result exists — rather than polling each instance (TaskHubClient's wait polls in whole seconds).
            var ids = new List<string>();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < orchestrations; i++)
            {
                ids.Add((await client.CreateOrchestrationInstanceAsync(typeof(TrivialOrchestration), Guid.NewGuid().ToString("N"))).InstanceId);
            }

            while (ids.Any(id => !s_activityStarted.ContainsKey(id)) && watch.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(10);
            }

            var rate = orchestrations / watch.Elapsed.TotalSeconds;
            output.WriteLine($"| raw DurableTask.Core: trivial orchestration with one activity | {F(rate)} activities completed/s ({orchestrations} scheduled at once) |");
            output.WriteLine($"| raw DurableTask.Core: schedule → activity start | p50 {F(starts.Percentile(50))} ms, p99 {F(starts.Percentile(99))} ms |");
            return (rate, starts.Percentile(50));
        }
        finally
        {
            await worker.StopAsync(true);
            await service.DeleteAsync();
        }
    }

    private static async Task RunOneAsync(TaskHubClient client, TimeSpan timeout)
    {
        var instance = await client.CreateOrchestrationInstanceAsync(typeof(TrivialOrchestration), Guid.NewGuid().ToString("N"));
        await client.WaitForOrchestrationAsync(instance, timeout);
    }

    private sealed class TrivialOrchestration : TaskOrchestration<string, string>
    {
        public override Task<string> RunTask(OrchestrationContext context, string input) =>
            context.ScheduleTask<string>(typeof(TrivialActivity), context.OrchestrationInstance.InstanceId);
    }

    private sealed class TrivialActivity : TaskActivity<string, string>
    {
        protected override string Execute(TaskContext context, string input)
        {
            s_activityStarted.TryAdd(input, Stopwatch.GetTimestamp());
            return input;
        }
    }
}

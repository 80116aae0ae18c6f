using System.Diagnostics;
using System.Text.Json.Nodes;
using Arcp.Azure.Jobs;
using Arcp.Azure.Storage;
using Arcp.Testing;

namespace Arcp.Benchmarks;

/// <summary>
/// How long a job waits after its host is SIGKILLed, with the shipped defaults (no lease or visibility setting
/// overridden): a host runs a long <c>countdown</c>, a second host is up, the first is killed, and the job's row is
/// watched until the second host claims it (attempt 2) and appends its first event. The target is the work-item
/// visibility timeout plus 5 s.
/// </summary>
internal sealed class TakeoverBenchmarks(string connectionString, TextWriter output)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);

    public async Task RunAsync(int rounds)
    {
        output.WriteLine("| Round | events before the kill | kill → claimed by the second host | kill → its first event appended |");
        output.WriteLine("|---|---|---|---|");
        var claimed = new List<double>();
        var resumed = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var (claim, first, before) = await RunRoundAsync();
            claimed.Add(claim);
            resumed.Add(first);
            output.WriteLine($"| {round} | {before} | {claim:F1} s | {first:F1} s |");
        }

        var target = new Azure.Durable.DurableTaskOptions().WorkItemQueueVisibilityTimeout + TimeSpan.FromSeconds(5);
        output.WriteLine();
        output.WriteLine($"Worst kill → first event {resumed.Max():F1} s against the target {target.TotalSeconds:F0} s (work-item visibility timeout + 5 s): {(resumed.Max() <= target.TotalSeconds ? "met" : "missed")}.");
    }

    private async Task<(double Claimed, double FirstEvent, long EventsBefore)> RunRoundAsync()
    {
        var prefix = BenchHost.Name('k');
        var hub = BenchHost.Name('K');
        var (first, endpoint, firstDir) = await BenchHost.StartAsync(connectionString, prefix, hub);
        HostProcess? second = null;
        DirectoryInfo? secondDir = null;
        try
        {
            var jobs = new TableJobStore(new ArcpStorage(connectionString, prefix), TimeProvider.System);
            await using var client = await ArcpWireClient.ConnectAsync(endpoint);
            await client.HelloAsync(resume: null);
            await client.SendAsync("job.submit", new JsonObject { ["agent"] = "countdown", ["input"] = JsonNode.Parse("""{"steps":3000,"interval_ms":100}""") });
            var jobId = await WaitAcceptedAsync(client);
            await WaitAsync(async () => (await jobs.GetAsync(jobId, default))?.EventCount >= 10, TimeSpan.FromSeconds(60));

            (second, _, secondDir) = await BenchHost.StartAsync(connectionString, prefix, hub);
            await first.KillAsync();
            var clock = Stopwatch.StartNew();
            var before = (await jobs.GetAsync(jobId, default))!.EventCount;

            await WaitAsync(async () => (await jobs.GetAsync(jobId, default))?.Attempt >= 2, TimeSpan.FromSeconds(180));
            var claimedAfter = clock.Elapsed.TotalSeconds;
            await WaitAsync(async () => (await jobs.GetAsync(jobId, default))?.EventCount > before, TimeSpan.FromSeconds(60));
            return (claimedAfter, clock.Elapsed.TotalSeconds, before);
        }
        finally
        {
            await first.DisposeAsync();
            firstDir.Delete(recursive: true);
            if (second is not null)
            {
                await second.DisposeAsync();
                secondDir!.Delete(recursive: true);
            }
        }
    }

    private static async Task<string> WaitAcceptedAsync(ArcpWireClient client)
    {
        while (true)
        {
            var frame = await client.ReceiveAsync();
            if (frame.GetProperty("type").GetString() == "job.accepted")
            {
                return frame.GetProperty("payload").GetProperty("job_id").GetString()!;
            }
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The job did not get there within {timeout}.");
            }

            await Task.Delay(s_poll);
        }
    }
}

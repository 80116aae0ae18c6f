using System.Collections.Concurrent;
using System.Text.Json;
using Arcp.Client;
using Arcp.Protocol.Messages;

namespace Arcp.Cli.Bench;

/// <summary>
/// A bounded load generator: <c>S</c> sessions connect at once, then each runs <c>J</c> <c>burst</c> jobs of <c>E</c>
/// events, at most <c>P</c> at a time per session, reading every event.
/// </summary>
internal sealed class BenchRunner(Func<ArcpClientOptions> options, int sessions, int jobsPerSession, int eventsPerJob, int parallel, TimeProvider time)
{
    public const string Agent = "burst";

    private readonly ConcurrentBag<TimeSpan> _accepted = [];
    private readonly ConcurrentBag<TimeSpan> _firstEvent = [];
    private long _events;
    private int _succeeded;
    private int _failed;

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        var connectStart = time.GetTimestamp();
        var clients = await Task.WhenAll(Enumerable.Range(0, sessions).Select(_ => ArcpClient.ConnectAsync(options(), cancellationToken: cancellationToken))).ConfigureAwait(false);
        var connectElapsed = time.GetElapsedTime(connectStart);
        try
        {
            var jobsStart = time.GetTimestamp();
            await Task.WhenAll(clients.Select(c => RunSessionAsync(c, cancellationToken))).ConfigureAwait(false);
            var jobsElapsed = time.GetElapsedTime(jobsStart);
            return new BenchReport(
                sessions,
                jobsPerSession,
                eventsPerJob,
                _succeeded,
                _failed,
                Interlocked.Read(ref _events),
                connectElapsed,
                jobsElapsed,
                LatencySummary.From(_accepted),
                LatencySummary.From(_firstEvent));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
    }

    private async Task RunSessionAsync(ArcpClient client, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(parallel);
        var input = JsonSerializer.SerializeToElement(new Dictionary<string, int> { ["n"] = eventsPerJob });
        var jobs = Enumerable.Range(0, jobsPerSession).Select(async _ =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await RunJobAsync(client, input, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        });
        await Task.WhenAll(jobs).ConfigureAwait(false);
    }

    private async Task RunJobAsync(ArcpClient client, JsonElement input, CancellationToken cancellationToken)
    {
        var submitted = time.GetTimestamp();
        var job = await client.SubmitAsync(Agent, input, cancellationToken: cancellationToken).ConfigureAwait(false);
        var accepted = time.GetTimestamp();
        _accepted.Add(time.GetElapsedTime(submitted, accepted));
        var first = true;
        long count = 0;
        await foreach (var _ in job.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (first)
            {
                _firstEvent.Add(time.GetElapsedTime(accepted));
                first = false;
            }

            count++;
        }

        Interlocked.Add(ref _events, count);
        var outcome = await job.Completion.ConfigureAwait(false);
        Interlocked.Increment(ref outcome.Status == JobStatus.Success ? ref _succeeded : ref _failed);
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Arcp.Benchmarks;

/// <summary>The workloads of the cost and side-by-side runs, on plain ARCP wire against any runtime.</summary>
internal static class Workloads
{
    /// <summary><paramref name="jobs"/> <c>burst</c> jobs sharing <paramref name="events"/> events on one session; events/s from submit to the last terminal frame.</summary>
    public static async Task<(long Events, double PerSecond)> BurstAsync(Uri endpoint, string token, int jobs, int events)
    {
        await using var client = await ArcpWireClient.ConnectAsync(endpoint, token);
        await client.HelloAsync(null);
        var watch = Stopwatch.StartNew();
        var received = await SubmitBurstsAsync(client, jobs, events);
        return (received, received / watch.Elapsed.TotalSeconds);
    }

    /// <summary>Submits <paramref name="jobs"/> <c>burst</c> jobs sharing <paramref name="events"/> events and receives until each has ended; returns the events received.</summary>
    public static async Task<long> SubmitBurstsAsync(ArcpWireClient client, int jobs, int events)
    {
        for (var j = 0; j < jobs; j++)
        {
            await client.SendAsync("job.submit", new { agent = "burst", input = new { n = events / jobs } });
        }

        long received = 0;
        var terminals = 0;
        while (terminals < jobs)
        {
            var frame = await client.ReceiveAsync();
            var type = frame.GetProperty("type").GetString();
            received += frame.TryGetProperty("event_seq", out _) ? 1 : 0;
            terminals += ArcpWireClient.IsTerminal(type) ? 1 : 0;
        }

        return received;
    }

    /// <summary><paramref name="jobs"/> <c>echo</c> jobs over one session, <paramref name="inFlight"/> at a time; jobs/s.</summary>
    public static async Task<double> EchoAsync(Uri endpoint, string token, int jobs, int inFlight)
    {
        await using var client = await ArcpWireClient.ConnectAsync(endpoint, token);
        await client.HelloAsync(null);
        var watch = Stopwatch.StartNew();
        var submitted = 0;
        var done = 0;
        for (; submitted < Math.Min(inFlight, jobs); submitted++)
        {
            await client.SendAsync("job.submit", new JsonObject { ["agent"] = "echo", ["input"] = submitted });
        }

        while (done < jobs)
        {
            var type = (await client.ReceiveAsync()).GetProperty("type").GetString();
            if (!ArcpWireClient.IsTerminal(type))
            {
                continue;
            }

            done++;
            if (submitted < jobs)
            {
                await client.SendAsync("job.submit", new JsonObject { ["agent"] = "echo", ["input"] = submitted++ });
            }
        }

        return jobs / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// <paramref name="jobs"/> <c>echo</c> jobs over one session, one every <paramref name="interval"/> whatever the
    /// answers; waits for every result. Returns the jobs' in-flight seconds summed (submit to result, as the client sees it).
    /// </summary>
    public static async Task<double> PacedEchoAsync(Uri endpoint, string token, int jobs, TimeSpan interval)
    {
        await using var client = await ArcpWireClient.ConnectAsync(endpoint, token);
        await client.HelloAsync(null);
        var clock = Stopwatch.StartNew();

        // Σ(result time) − Σ(submit time) is the summed in-flight time whichever order the results come in.
        var ended = 0.0;
        var receiving = Task.Run(async () =>
        {
            for (var done = 0; done < jobs;)
            {
                if (ArcpWireClient.IsTerminal((await client.ReceiveAsync()).GetProperty("type").GetString()))
                {
                    done++;
                    ended += clock.Elapsed.TotalSeconds;
                }
            }
        });
        var started = 0.0;
        for (var i = 0; i < jobs; i++)
        {
            started += clock.Elapsed.TotalSeconds;
            await client.SendAsync("job.submit", new JsonObject { ["agent"] = "echo", ["input"] = i });
            await Task.Delay(interval);
        }

        await receiving;
        return ended - started;
    }

    /// <summary>
    /// <paramref name="sessions"/> sessions at once, each with one <c>countdown</c> job of one step that waits
    /// <paramref name="hold"/>: jobs in flight and little else. Returns when every job has ended.
    /// </summary>
    public static async Task HoldJobsAsync(Uri endpoint, string token, int sessions, TimeSpan hold)
    {
        var input = $$"""{"steps":1,"interval_ms":{{(int)hold.TotalMilliseconds}}}""";
        await Task.WhenAll(Enumerable.Range(0, sessions).Select(async _ =>
        {
            await using var client = await ArcpWireClient.ConnectAsync(endpoint, token);
            await client.HelloAsync(null);
            await client.RunJobAsync("countdown", input);
        }));
    }

    /// <summary>Submit → <c>job.accepted</c> of <paramref name="jobs"/> sequential <c>echo</c> jobs (ms, each waited to its end).</summary>
    public static async Task<List<double>> SubmitToAcceptedAsync(Uri endpoint, string token, int jobs)
    {
        await using var client = await ArcpWireClient.ConnectAsync(endpoint, token);
        await client.HelloAsync(null);
        await client.RunJobAsync("echo", "0");
        var samples = new List<double>();
        for (var i = 0; i < jobs; i++)
        {
            samples.Add((await client.RunJobAsync("echo", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).Accepted);
        }

        return samples;
    }

    /// <summary>Opens <paramref name="sessions"/> sessions one after another and closes each.</summary>
    public static async Task SessionsAsync(Uri endpoint, string token, int sessions)
    {
        for (var i = 0; i < sessions; i++)
        {
            await using var client = await ArcpWireClient.ConnectAsync(endpoint, token);
            await client.HelloAsync(null);
        }
    }
}

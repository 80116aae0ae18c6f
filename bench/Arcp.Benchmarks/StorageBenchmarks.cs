using System.Diagnostics;
using Arcp.Azure.Jobs;
using Arcp.Azure.Sessions;
using Arcp.Azure.Storage;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Arcp.Testing;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using static Arcp.Benchmarks.Measurements;

namespace Arcp.Benchmarks;

/// <summary>
/// The durable state core on one Azurite: raw table figures as the substrate reference, then job events through
/// group commit and the session outbox, read back in order.
/// </summary>
internal sealed class StorageBenchmarks(string connectionString, TextWriter output)
{
    private readonly ArcpStorage _storage = new(connectionString, "b" + Guid.NewGuid().ToString("N")[..10]);

    public async Task RunAsync(int events)
    {
        await _storage.EnsureCreatedAsync(default);
        try
        {
            output.WriteLine("| Measurement | Result |");
            output.WriteLine("|---|---|");
            var (batchRate, insertP50, insertP99) = await RawTablesAsync();
            output.WriteLine($"| raw `SubmitTransaction`, 100-entity batches | {F(batchRate, 0)} entities/s |");
            output.WriteLine($"| raw single-entity insert round trip | p50 {F(insertP50)} ms, p99 {F(insertP99)} ms |");

            var one = await EventsAsync(jobs: 1, events);
            output.WriteLine($"| 1 job, {events:N0} events: append + sync + read back in order | {F(one.Durable, 0)} events/s durable in the outbox ({F(one.Durable / batchRate, 2)}× the raw batch entity rate); read back {F(one.ReadBack, 0)} events/s; {one.Appends} appends in all |");
            var eight = await EventsAsync(jobs: 8, events);
            output.WriteLine($"| 8 jobs into one session, {events:N0} events in all | {F(eight.Durable, 0)} events/s durable in the outbox; read back {F(eight.ReadBack, 0)} events/s |");

            var (p50, p99, appendP50, syncP50, txP50) = await SingleEventLatencyAsync(200);
            output.WriteLine($"| raw 2-entity transaction round trip (the unit of a commit) | p50 {F(txP50)} ms |");
            output.WriteLine($"| one event, emit → readable in the outbox | p50 {F(p50)} ms = {F(p50 / txP50)} transaction round trips (append {F(appendP50)} ms + sync {F(syncP50)} ms), p99 {F(p99)} ms |");
        }
        finally
        {
            await _storage.DeleteAllAsync(default);
        }
    }

    private async Task<(double Rate, double P50, double P99)> RawTablesAsync()
    {
        var table = new TableClient(connectionString, "braw" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateIfNotExistsAsync();
        try
        {
            const int batches = 30;
            var watch = Stopwatch.StartNew();
            for (var b = 0; b < batches; b++)
            {
                var actions = Enumerable.Range(0, 100).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p" + b, i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)) { ["Data"] = "small event body" }));
                await table.SubmitTransactionAsync(actions);
            }

            var rate = batches * 100 / watch.Elapsed.TotalSeconds;
            var samples = new List<double>();
            for (var i = 0; i < 300; i++)
            {
                samples.Add(await TimeAsync(() => table.AddEntityAsync(new TableEntity("single", i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)) { ["Data"] = "x" })));
            }

            return (rate, samples.Percentile(50), samples.Percentile(99));
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    private async Task<(double Durable, double ReadBack, int Appends)> EventsAsync(int jobs, int events)
    {
        var jobStore = new CountingJobStore(new TableJobStore(_storage, TimeProvider.System));
        var sessions = new TableSessionStore(_storage);
        var signals = new SignalHub();
        var fanout = new OutboxFanout(sessions, signals, [], NullLogger<OutboxFanout>.Instance);
        var sessionId = "sess_bench" + Guid.NewGuid().ToString("N")[..8];
        await sessions.CreateAsync(new SessionState { SessionId = sessionId, Principal = "bench", CreatedAt = DateTimeOffset.UtcNow }, default);

        var writers = new List<JobEventWriter>();
        for (var j = 0; j < jobs; j++)
        {
            var jobId = "job_bench" + Guid.NewGuid().ToString("N")[..12];
            await sessions.SubscribeAsync(sessionId, new SessionSubscription(jobId, true, "00000000000000000000000000000001", false, 0, 0), default);
            await jobStore.CreateAsync(new JobDefinition(jobId, "bench", sessionId, "burst@1", "{}", null, null, null, "00000000000000000000000000000001", null, DateTimeOffset.UtcNow, new Dictionary<string, decimal>(), ["progress"]), "{}", default);
            var claimed = (ClaimResult.Claimed)await jobStore.TryClaimAsync(jobId, "bench", TimeSpan.FromMinutes(5), default);
            writers.Add(new JobEventWriter(jobStore, claimed.State, fanout.JobAppended));
        }

        var perJob = events / jobs;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(writers.Select(writer => Task.Run(async () =>
        {
            Task last = Task.CompletedTask;
            for (var i = 1; i <= perJob; i++)
            {
                var payload = $$$"""{"kind":"progress","ts":"2026-05-13T10:00:00.000Z","body":{"current":{{{i}}},"total":{{{perJob}}}}}""";
                last = writer.EmitAsync(new NewJobEvent("job.event", payload, DateTimeOffset.UtcNow, "msg_" + Guid.NewGuid().ToString("N")[..26].ToUpperInvariant()));
            }

            await last;
        })));
        foreach (var writer in writers)
        {
            await fanout.DrainAsync(writer.State.JobId, default);
        }

        while (await sessions.GetLastIssuedSeqAsync(sessionId, default) < perJob * jobs)
        {
            await Task.Delay(5);
        }

        var durable = perJob * jobs / watch.Elapsed.TotalSeconds;

        var reader = new OutboxReader(sessions, jobStore);
        var read = 0L;
        watch.Restart();
        var after = 0L;
        while (true)
        {
            var batch = (OutboxBatch.Envelopes)await reader.ReadAsync(sessionId, after, 1000, default);
            if (batch.Items.Count == 0)
            {
                break;
            }

            foreach (var envelope in batch.Items)
            {
                if (envelope.Seq != after + 1)
                {
                    throw new InvalidOperationException($"gap: {after} then {envelope.Seq}");
                }

                after = envelope.Seq;
                read++;
            }
        }

        if (read != perJob * jobs)
        {
            throw new InvalidOperationException($"read {read} of {perJob * jobs}");
        }

        return (durable, read / watch.Elapsed.TotalSeconds, jobStore.Appends);
    }

    private async Task<(double P50, double P99, double AppendP50, double SyncP50, double TransactionP50)> SingleEventLatencyAsync(int samples)
    {
        var jobStore = new TableJobStore(_storage, TimeProvider.System);
        var sessions = new TableSessionStore(_storage);
        var sessionId = "sess_lat" + Guid.NewGuid().ToString("N")[..8];
        var jobId = "job_lat" + Guid.NewGuid().ToString("N")[..12];
        await sessions.CreateAsync(new SessionState { SessionId = sessionId, Principal = "bench", CreatedAt = DateTimeOffset.UtcNow }, default);
        await sessions.SubscribeAsync(sessionId, new SessionSubscription(jobId, true, "00000000000000000000000000000001", false, 0, 0), default);
        await jobStore.CreateAsync(new JobDefinition(jobId, "bench", sessionId, "burst@1", "{}", null, null, null, "00000000000000000000000000000001", null, DateTimeOffset.UtcNow, new Dictionary<string, decimal>(), []), "{}", default);
        var claimed = (ClaimResult.Claimed)await jobStore.TryClaimAsync(jobId, "bench", TimeSpan.FromMinutes(5), default);
        var writer = new JobEventWriter(jobStore, claimed.State);
        var timings = new List<double>();
        var appends = new List<double>();
        var syncs = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var watch = Stopwatch.StartNew();
            await writer.EmitAsync(new NewJobEvent("job.event", """{"kind":"log","ts":"2026-05-13T10:00:00.000Z","body":{"level":"info","message":"x"}}""", DateTimeOffset.UtcNow, "msg_" + i));
            var appended = watch.Elapsed.TotalMilliseconds;
            await sessions.SyncOutboxAsync(sessionId, jobId, writer.State.EventCount, default);
            timings.Add(watch.Elapsed.TotalMilliseconds);
            appends.Add(appended);
            syncs.Add(watch.Elapsed.TotalMilliseconds - appended);
        }

        var table = new TableClient(connectionString, "btx" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateIfNotExistsAsync();
        var transactions = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var key = i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            transactions.Add(await TimeAsync(() => table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "a" + key) { ["Data"] = "x" }),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "b" + key) { ["Data"] = "x" }),
            ])));
        }

        await table.DeleteAsync();
        return (timings.Percentile(50), timings.Percentile(99), appends.Percentile(50), syncs.Percentile(50), transactions.Percentile(50));
    }
}

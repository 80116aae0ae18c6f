using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Arcp.Azure.Jobs;
using Arcp.Protocol.Envelopes;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;

namespace Arcp.Benchmarks;

/// <summary>
/// The per-event CPU and allocation of the delivery hot path, without storage: building an event's frame and decoding
/// the page it is stored in. The previous encoding (the whole message through the writer, the payload as text; pages
/// parsed into a document and each payload copied out as text) runs alongside as the yardstick of the same run.
/// </summary>
internal sealed class EnvelopeBenchmarks(TextWriter output)
{
    private const int PageEvents = 200;

    public void Run(int events)
    {
        output.WriteLine("| Per event (payload size) | previous: ns / allocated bytes | spliced: ns / allocated bytes | frame bytes |");
        output.WriteLine("|---|---|---|---|");
        foreach (var (name, payload) in Payloads())
        {
            var stored = new StoredJobEvent(1, JobEventTypes.Event, payload, DateTimeOffset.UtcNow, "msg_01HZX4Q8W2ABCDEFGHJKMNPQRS");
            var submitter = new OutboxEntry(1, "job_01HZX4Q9B3ABCDEFGHJKMNPQRS", 1, "4bf92f3577b34da6a3ce929d0e0e4736", Redact: false, IsSubmitter: true);
            var observer = submitter with { IsSubmitter = false };
            var text = stored.PayloadJson;
            var frameLength = OutboxReader.Build("sess_01HZX4Q7A1ABCDEFGHJKMNPQRS", submitter, stored).Length;
            var legacy = Measure(events, () => LegacyBuild("sess_01HZX4Q7A1ABCDEFGHJKMNPQRS", submitter, stored, text).Length);
            var spliced = Measure(events, () => OutboxReader.Build("sess_01HZX4Q7A1ABCDEFGHJKMNPQRS", submitter, stored).Length);
            output.WriteLine($"| frame for the submitter ({name}) | {legacy} | {spliced} | {frameLength} |");
            legacy = Measure(events, () => LegacyBuild("sess_01HZX4Q7A1ABCDEFGHJKMNPQRS", observer, stored, text).Length);
            spliced = Measure(events, () => OutboxReader.Build("sess_01HZX4Q7A1ABCDEFGHJKMNPQRS", observer, stored).Length);
            output.WriteLine($"| frame for an observer ({name}) | {legacy} | {spliced} | {frameLength} |");

            var page = JobEventPageCodec.Encode([.. Enumerable.Range(1, PageEvents).Select(i => new JobEventPageCodec.PageItem(stored with { Index = i }, null))]);
            var pages = Math.Max(1, events / PageEvents);
            legacy = Measure(pages, () => LegacyDecode(page).Count, PageEvents);
            spliced = Measure(pages, () => JobEventPageCodec.Decode(page).Count, PageEvents);
            output.WriteLine($"| page decode, {PageEvents} events a page ({name}) | {legacy} | {spliced} | — |");
        }
    }

    private static IEnumerable<(string Name, string Payload)> Payloads()
    {
        yield return ("log, 90 B", """{"kind":"log","ts":"2026-05-13T10:00:00.123Z","body":{"level":"info","message":"step 42 done"}}""");
        var text = string.Concat(Enumerable.Repeat("naïve café 日本 \\\"quoted\\\" ", 160));
        yield return ("thought, 4 KB", $$$"""{"kind":"thought","ts":"2026-05-13T10:00:00.123Z","body":{"text":"{{{text}}}"}}""");
    }

    /// <summary>Mean time and allocation per unit over <paramref name="iterations"/> runs after a warm-up.</summary>
    private static string Measure(int iterations, Func<int> action, int unitsPerIteration = 1)
    {
        var sink = 0;
        for (var i = 0; i < Math.Max(iterations / 4, 1); i++)
        {
            sink += action();
        }

        GC.Collect();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            sink += action();
        }

        var elapsed = watch.Elapsed;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        GC.KeepAlive(sink);
        var units = (double)iterations * unitsPerIteration;
        return $"{Measurements.F(elapsed.TotalNanoseconds / units, 0)} ns / {Measurements.F(allocated / units, 0)} B";
    }

    private static byte[] LegacyBuild(string sessionId, OutboxEntry entry, StoredJobEvent jobEvent, string payloadText)
    {
        var id = entry.IsSubmitter ? jobEvent.MessageId : OutboxReader.ObserverMessageId(jobEvent.MessageId, sessionId);
        return ArcpWriter.SerializeToUtf8Bytes(new ArcpMessage(id, jobEvent.Type, new PreEncodedPayload(payloadText))
        {
            SessionId = sessionId,
            JobId = entry.JobId,
            EventSeq = entry.Seq,
            TraceId = entry.TraceId,
            Timestamp = jobEvent.Timestamp,
        });
    }

    private static List<(StoredJobEvent Event, string Payload)> LegacyDecode(byte[] data)
    {
        var items = new List<(StoredJobEvent, string)>();
        var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 1026 });
        using var document = JsonDocument.ParseValue(ref reader);
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var payload = element.GetProperty("p").GetRawText();
            var e = new StoredJobEvent(
                element.GetProperty("i").GetInt64(),
                element.GetProperty("t").GetString()!,
                ReadOnlyMemory<byte>.Empty,
                DateTimeOffset.Parse(element.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                element.GetProperty("id").GetString()!);
            items.Add((e, payload));
        }

        return items;
    }
}

using System.Collections.ObjectModel;
using System.Diagnostics;
using Arcp.Runtime.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Arcp.Host.Tests.Telemetry;

/// <summary>
/// The runtime's spans and metrics as an exporter receives them (in-memory exporters of a process-wide provider, so
/// spans of other tests running meanwhile are told apart by job and session id).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TelemetryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly LockedList<Activity> _spans = [];
    private readonly LockedList<MetricSnapshot> _metrics = [];
    private TracerProvider _tracing = null!;
    private MeterProvider _meters = null!;
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource(ArcpTelemetry.Name).AddInMemoryExporter(_spans).Build();
        _meters = Sdk.CreateMeterProviderBuilder().AddMeter(ArcpTelemetry.Name).AddInMemoryExporter(_metrics).Build();
        _host = await ArcpTestHost.StartAsync(azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _tracing.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task SubmittedJob_RunSpanCarriesTheArcpTraceId_SessionSpansExist_JobsByStatusCountsSuccess()
    {
        var (client, welcome) = await _host.OpenSessionAsync();
        await using var _client = client;
        var sessionId = welcome.GetProperty("session_id").GetString()!;
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 3, interval_ms = 10 } });
        var (accepted, _) = await client.ReceiveTypeAsync("job.accepted");
        var jobId = accepted.GetProperty("job_id").GetString()!;
        var traceId = accepted.GetProperty("trace_id").GetString()!;
        await client.ReceiveThroughTerminalAsync(jobId);

        var run = await WaitForSpanAsync(s => s.OperationName == "arcp job.run" && (string?)s.GetTagItem(ArcpTelemetry.Tags.JobId) == jobId && s.GetTagItem(ArcpTelemetry.Tags.JobStatus) is not null);

        Assert.Equal(traceId, run.TraceId.ToHexString());
        Assert.Equal("success", run.GetTagItem(ArcpTelemetry.Tags.JobStatus));
        Assert.Equal("countdown@1.0.0", run.GetTagItem(ArcpTelemetry.Tags.Agent));
        var spans = _spans.Snapshot();
        var ofSession = spans.Where(s => (string?)s.GetTagItem(ArcpTelemetry.Tags.SessionId) == sessionId).ToList();
        Assert.Contains(ofSession, s => s.OperationName == "arcp job.submit" && s.TraceId.ToHexString() == traceId && (string?)s.GetTagItem(ArcpTelemetry.Tags.MessageType) == "job.submit");
        // The hello's span carries the connection's provisional session id, never the token.
        Assert.Contains(spans, s => s.OperationName == "arcp session.hello" && s.ParentSpanId == default);
        var storage = spans.Where(s => s.TraceId == run.TraceId && s.OperationName.StartsWith("table ", StringComparison.Ordinal)).ToList();
        Assert.Contains(storage, s => ((string?)s.GetTagItem(ArcpTelemetry.Tags.Table))!.EndsWith("jobs", StringComparison.Ordinal) && (string?)s.GetTagItem(ArcpTelemetry.Tags.Operation) == "transaction");
        Assert.Contains(storage, s => s.ParentSpanId == run.SpanId);
        Assert.DoesNotContain(spans, s => s.TagObjects.Any(t => t.Value is string v && v.Contains("tok-", StringComparison.Ordinal)));

        _meters.ForceFlush();
        var metrics = _metrics.Snapshot();
        Assert.True(Sum(metrics, "arcp.jobs.finished", ("status", "success")) >= 1);
        Assert.True(Sum(metrics, "arcp.events.appended") >= 4);
        Assert.True(HistogramCount(metrics, "arcp.delivery.latency") >= 4);
        Assert.True(HistogramCount(metrics, "arcp.outbox.lag") >= 1);
        Assert.Contains(metrics, m => m.Name == "arcp.sessions.open");
    }

    [Fact]
    public async Task SubmitWithTraceId_TheSubmitAndTheRunAreInThatTrace()
    {
        const string Trace = "0af7651916cd43dd8448eb211c80319c";
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;
        await client.SendAsync("job.submit", new { agent = "echo", input = 1 }, traceId: Trace);
        var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        await client.ReceiveThroughTerminalAsync(jobId);

        var run = await WaitForSpanAsync(s => s.OperationName == "arcp job.run" && (string?)s.GetTagItem(ArcpTelemetry.Tags.JobId) == jobId);

        Assert.Equal(Trace, run.TraceId.ToHexString());
        Assert.Contains(_spans.Snapshot(), s => s.OperationName == "arcp job.submit" && s.TraceId.ToHexString() == Trace);
    }

    [Fact]
    public async Task JobRunSpan_CarriesLeaseExpiryAndRemainingBudget()
    {
        var (client, _) = await _host.OpenSessionAsync();
        await using var _client = client;
        var expiresAt = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        await client.SendAsync("job.submit", new
        {
            agent = "echo",
            input = 1,
            lease_request = new Dictionary<string, string[]> { ["cost.budget"] = ["USD:1.50"] },
            lease_constraints = new { expires_at = expiresAt },
        });
        var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        await client.ReceiveThroughTerminalAsync(jobId);

        var run = await WaitForSpanAsync(s => s.OperationName == "arcp job.run" && (string?)s.GetTagItem(ArcpTelemetry.Tags.JobId) == jobId);

        Assert.Equal(expiresAt, run.GetTagItem(ArcpTelemetry.Tags.LeaseExpiresAt));
        Assert.Equal("USD:1.50", run.GetTagItem(ArcpTelemetry.Tags.BudgetRemaining));
    }

    [Fact]
    public async Task HostComposition_ExportersOnlyWhenConfigured()
    {
        await using var console = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, "--Arcp:Telemetry:Console=true");

        Assert.NotNull(console.Services.GetService(typeof(TracerProvider)));
        Assert.NotNull(console.Services.GetService(typeof(MeterProvider)));
        Assert.Null(_host.Services.GetService(typeof(TracerProvider)));
    }

    private async Task<Activity> WaitForSpanAsync(Func<Activity, bool> predicate)
    {
        // The run span ends just after the terminal event was written, so it may be exported after the client saw it.
        for (var i = 0; i < 100; i++)
        {
            if (_spans.Snapshot().FirstOrDefault(predicate) is { } span)
            {
                return span;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("span never exported");
    }

    private static long Sum(List<MetricSnapshot> metrics, string name, (string Key, string Value)? tag = null)
    {
        long total = 0;
        foreach (var point in metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints))
        {
            if (tag is { } t && !HasTag(point, t.Key, t.Value))
            {
                continue;
            }

            total += point.GetSumLong();
        }

        return total;
    }

    private static long HistogramCount(List<MetricSnapshot> metrics, string name) =>
        metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints).Sum(p => p.GetHistogramCount());

    private static bool HasTag(MetricPoint point, string key, string value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && (string?)tag.Value == value)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The exporters add from worker threads while the test reads.</summary>
    private sealed class LockedList<T> : Collection<T>
    {
        private readonly Lock _lock = new();

        public List<T> Snapshot()
        {
            lock (_lock)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (_lock)
            {
                base.InsertItem(index, item);
            }
        }
    }
}

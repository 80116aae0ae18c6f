using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Arcp.Azure.Tests.Durable;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Testing;
using Arcp.Testing.Faults;
using Xunit.Abstractions;

namespace Arcp.Azure.Tests.Chaos;

/// <summary>
/// The chaos soak: two host processes on one Azurite behind the fault proxy (503/500 answers, replies lost after
/// committing, slow requests, a 6 s outage every 25 s, Durable's own traffic included); four sessions run countdown
/// and burst jobs and each drops its connection once and resumes on the other host; one host is frozen past its
/// owner lease and the work-item visibility timeout, so its job is taken over while it sleeps; the other is killed
/// and restarted. Seeded (<c>ARCP_CHAOS_SEED</c>) and bounded to a few minutes.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChaosSoakTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Token = "tok-chaos";
    private static readonly TimeSpan s_ownerLease = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_visibility = TimeSpan.FromSeconds(8);
    private readonly string _taskHub = DurableRuntime.NewTaskHubName();
    private readonly string _tablePrefix = DurableRuntime.NewTablePrefix();
    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("arcp-chaos-");
    private readonly List<HostProcess> _hosts = [];
    private readonly Stopwatch _clock = new();
    private StorageFaultProxy _proxy = null!;
    private DurableRuntime _verifier = null!;

    public async Task InitializeAsync()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("ARCP_CHAOS_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 1;
        var schedule = new FaultSchedule(FaultScheduleOptions.Storm(seed)) { Enabled = false };
        _clock.Start();
        _proxy = await StorageFaultProxy.StartAsync(azurite.ConnectionString, schedule);
        _verifier = await DurableRuntime.StartAsync(azurite.ConnectionString, workerless: true, taskHubName: _taskHub, tablePrefix: _tablePrefix);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _verifier.DisposeAsync();
        await _proxy.DisposeAsync();
        _workDir.Delete(recursive: true);
    }

    [Fact]
    public async Task Storm_TwoHostsPausedKilledAndFaultyStorage_EveryJobEndsOnceEveryEventArrivesSessionsStayGapFree()
    {
        try
        {
            await StormAsync();
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + Environment.NewLine + HostLogs(), ex);
        }
    }

    private async Task StormAsync()
    {
        // Arrange: both hosts start on healthy storage; then the storm begins.
        var hostA = await StartHostAsync();
        var hostB = await StartHostAsync();
        var live = new[] { hostA, hostB };
        Uri HostFor(int i)
        {
            var pick = live[i % 2];
            return pick.HasExited ? live[(i + 1) % 2].BaseAddress : pick.BaseAddress;
        }

        var sessions = Enumerable.Range(0, 4).Select(i => new ChaosSession($"s{i}", n => HostFor(n + i), Token, () => _clock.Elapsed.TotalSeconds)).ToList();
        foreach (var session in sessions)
        {
            await session.ConnectAsync(TimeSpan.FromSeconds(60));
        }

        var schedule = _proxy.Schedule;
        schedule.Enabled = true;
        var stormStart = _clock.Elapsed;

        // Act
        var runs = sessions.Select((session, i) => session.RunAsync(Plan(session.Name, i), TimeSpan.FromSeconds(4 + (5 * i)), TimeSpan.FromMinutes(4))).ToList();
        var nodeFaults = Task.Run(async () =>
        {
            // Frozen longer than its owner lease plus the visibility timeout: its running job is handed to the other
            // host, and when it wakes up every write it still tries is refused.
            await Task.Delay(TimeSpan.FromSeconds(6));
            await hostA.PauseAsync(s_ownerLease + s_visibility + TimeSpan.FromSeconds(4));
            await Task.Delay(TimeSpan.FromSeconds(8));
            await hostB.KillAsync();
            live[1] = await StartHostAsync();
        });
        await Task.WhenAll(runs);
        await nodeFaults;
        var stormLength = _clock.Elapsed - stormStart;
        schedule.Enabled = false;
        var faults = schedule.Snapshot();

        // After the storm every session still gets a fresh job's events.
        var after = new List<TimeSpan>();
        foreach (var session in sessions)
        {
            after.Add(await session.EchoAsync(TimeSpan.FromSeconds(90)));
        }

        // Assert
        var violations = sessions.SelectMany(s => s.Violations).ToList();
        var jobs = 0;
        long storedEvents = 0;
        foreach (var session in sessions)
        {
            foreach (var (key, jobId) in session.JobIds.Where(kv => !kv.Key.EndsWith("-after", StringComparison.Ordinal)))
            {
                jobs++;
                var state = (await _verifier.JobStore.GetAsync(jobId, default))!;
                var events = await _verifier.ReadEventsAsync(jobId);
                storedEvents += events.Count;
                if (state.Status != JobStatus.Success)
                {
                    violations.Add($"{key} ({jobId}) ended {state.Status.ToWireName()}: {events[^1].PayloadJson}");
                }

                if (events.Count(e => e.Type != JobEventTypes.Event) != 1 || events[^1].Type == JobEventTypes.Event)
                {
                    violations.Add($"{key} ({jobId}) has not exactly one terminal, last");
                }

                if (session.TerminalsByJob.GetValueOrDefault(jobId)?.Count != 1)
                {
                    violations.Add($"{key} ({jobId}) reached its session {session.TerminalsByJob.GetValueOrDefault(jobId)?.Count ?? 0} times");
                }

                CheckProgress(key, jobId, session.Planned[key].Steps, events, session, violations);
            }
        }

        var recovery = RecoveryAfterOutages(sessions, stormStart, stormLength, schedule.Options);
        var report = $"seed {schedule.Options.Seed}: storm {stormLength.TotalSeconds:F0} s, {faults.Sum(f => f.Value)} storage requests, injected {schedule.Report()}; "
            + $"{jobs} jobs, {storedEvents} stored events, {sessions.Sum(s => s.EventsByJob.Values.Sum(l => l.Count))} events delivered, "
            + $"{sessions.Sum(s => s.RedeliveredSeqs)} redelivered seqs, {sessions.Sum(s => s.Reconnects)} resumes, {violations.Count} violations; "
            + $"longest silence after an outage window {recovery.TotalSeconds:F1} s; fresh echo after the storm {after.Max().TotalSeconds:F1} s; "
            + $"host logs: {HostLogCount("handed back")} runs handed back, {HostLogCount("was replaced by attempt")} claims lost while paused, {HostLogCount("storage unavailable (")} outage waits";
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("ARCP_CHAOS_REPORT") is { Length: > 0 } reportFile)
        {
            await File.AppendAllTextAsync(reportFile, report + Environment.NewLine);
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations) + Environment.NewLine + HostLogs());
        Assert.True(faults[FaultKind.Outage] > 0 && faults[FaultKind.ReplyLost] > 0, "the storm injected no outage or no lost reply: " + schedule.Report());
        foreach (var host in new[] { hostA, live[1] })
        {
            Assert.False(host.HasExited, HostLogs());
            using var health = await host.WaitHealthyAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static List<PlannedJob> Plan(string session, int i) =>
    [
        new($"{session}-countdown-1", "countdown", """{"steps":12,"interval_ms":250}""", 12),
        new($"{session}-burst", "burst", $$"""{"n":{{300 + (50 * i)}}}""", 300 + (50 * i)),
        new($"{session}-countdown-2", "countdown", """{"steps":8,"interval_ms":400}""", 8),
    ];

    /// <summary>Every progress step arrived at least once; a step seen twice carries identical content.</summary>
    private static void CheckProgress(string key, string jobId, int total, List<StoredJobEvent> stored, ChaosSession session, List<string> violations)
    {
        var expected = stored.Where(e => e.Type == JobEventTypes.Event && Kind(e.PayloadJson) == "progress").Select(e => Current(JsonDocument.Parse(e.PayloadJson).RootElement)).ToList();
        if (!expected.SequenceEqual(Enumerable.Range(1, total)))
        {
            violations.Add($"{key} ({jobId}) stored progress is not 1..{total} once each: {string.Join(",", expected)}");
        }

        var delivered = session.EventsByJob.GetValueOrDefault(jobId) ?? [];
        var bySteps = delivered.Where(p => p.GetProperty("kind").GetString() == "progress").GroupBy(Current).ToDictionary(g => g.Key, g => g.Select(p => p.GetRawText()).Distinct().Count());
        foreach (var step in Enumerable.Range(1, total))
        {
            if (!bySteps.TryGetValue(step, out var variants))
            {
                violations.Add($"{key} ({jobId}) progress {step} never reached the session");
            }
            else if (variants != 1)
            {
                violations.Add($"{key} ({jobId}) progress {step} reached the session with different content");
            }
        }
    }

    private static int Current(JsonElement payload) => (int)payload.GetProperty("body").GetProperty("current").GetDouble();

    private static string? Kind(string payloadJson) => JsonDocument.Parse(payloadJson).RootElement.GetProperty("kind").GetString();

    /// <summary>The longest wait, after an outage window closed during the storm, until any session received anything.</summary>
    private static TimeSpan RecoveryAfterOutages(List<ChaosSession> sessions, TimeSpan stormStart, TimeSpan stormLength, FaultScheduleOptions options)
    {
        var arrivals = sessions.SelectMany(s => s.ArrivalTimes).Order().ToList();
        var longest = TimeSpan.Zero;
        for (var end = options.OutagePeriod; end < stormStart + stormLength; end += options.OutagePeriod)
        {
            if (end < stormStart)
            {
                continue;
            }

            var next = arrivals.FirstOrDefault(t => t >= end.TotalSeconds, double.NaN);
            if (!double.IsNaN(next) && TimeSpan.FromSeconds(next) - end > longest)
            {
                longest = TimeSpan.FromSeconds(next) - end;
            }
        }

        return longest;
    }

    private async Task<HostProcess> StartHostAsync()
    {
        var settings = DurableRuntime.Settings(_proxy.ConnectionString, _taskHub, _tablePrefix);
        settings[$"Arcp:Auth:Tokens:{Token}"] = "alice";
        settings["Arcp:Jobs:StatePollInterval"] = "00:00:00.200";
        settings["Arcp:Jobs:OwnerLease"] = s_ownerLease.ToString("c", CultureInfo.InvariantCulture);
        settings["Arcp:Durable:WorkItemQueueVisibilityTimeout"] = s_visibility.ToString("c", CultureInfo.InvariantCulture);
        settings["Arcp:Sweeper:Interval"] = "00:00:05";
        var host = HostProcess.Start(_workDir.FullName, DurableRuntime.Environment(settings));
        _hosts.Add(host);
        using var healthy = await host.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        return host;
    }

    private int HostLogCount(string text) => _hosts.Sum(h => h.Output.Split(Environment.NewLine).Count(line => line.Contains(text, StringComparison.Ordinal)));

    private string HostLogs() => string.Join(Environment.NewLine + "----" + Environment.NewLine, _hosts.Select(h => string.Join(Environment.NewLine, h.Output.Split(Environment.NewLine).TakeLast(80))));
}

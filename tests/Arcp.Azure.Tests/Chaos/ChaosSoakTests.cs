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
            await SaveHostLogsAsync();
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
            // Frozen, while it runs a job, longer than its owner lease plus the visibility timeout: the job is handed
            // to the other host, and when this one wakes up every write it still tries is refused.
            await WaitUntilRunningOnAsync(hostA, sessions, TimeSpan.FromSeconds(60));
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
        var reRuns = 0;
        long storedEvents = 0;
        foreach (var session in sessions)
        {
            foreach (var (key, jobId) in session.JobIds.Where(kv => !kv.Key.EndsWith("-after", StringComparison.Ordinal)))
            {
                jobs++;
                var state = (await _verifier.JobStore.GetAsync(jobId, default))!;
                var events = await _verifier.ReadEventsAsync(jobId);
                storedEvents += events.Count;
                reRuns += state.Attempt > 1 ? 1 : 0;
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

                CheckProgress(key, jobId, session.Planned[key], state, events, session, violations);
            }
        }

        var recovery = RecoveryAfterOutages(sessions, stormStart, stormLength, schedule.Options);
        var report = $"seed {schedule.Options.Seed}: storm {stormLength.TotalSeconds:F0} s, {faults.Sum(f => f.Value)} storage requests, injected {schedule.Report()}; "
            + $"{jobs} jobs, {storedEvents} stored events, {sessions.Sum(s => s.EventsByJob.Values.Sum(l => l.Count))} events delivered, "
            + $"{sessions.Sum(s => s.RedeliveredSeqs)} redelivered seqs, {reRuns} jobs re-run after a takeover, {sessions.Sum(s => s.Reconnects)} resumes, {violations.Count} violations; "
            + $"longest silence after an outage window {recovery.TotalSeconds:F1} s; fresh echo after the storm {after.Max().TotalSeconds:F1} s; "
            + $"host logs: {HostLogCount("handed back")} runs handed back, {HostLogCount("was replaced by attempt")} claims lost while paused, {HostLogCount("storage unavailable (")} outage waits";
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("ARCP_CHAOS_REPORT") is { Length: > 0 } reportFile)
        {
            await File.AppendAllTextAsync(reportFile, report + Environment.NewLine);
        }

        if (violations.Count > 0)
        {
            await SaveHostLogsAsync();
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
        new($"{session}-countdown-long", "countdown", """{"steps":40,"interval_ms":300}""", 40),
    ];

    /// <summary>Waits until <paramref name="host"/> holds the claim of one of the sessions' jobs (owners name their process id).</summary>
    private async Task WaitUntilRunningOnAsync(HostProcess host, List<ChaosSession> sessions, TimeSpan timeout)
    {
        var marker = $":{host.ProcessId}/";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            foreach (var jobId in sessions.SelectMany(s => s.JobIds.Values).ToList())
            {
                var state = await _verifier.JobStore.GetAsync(jobId, default);
                if (state is { Status: JobStatus.Running, Owner: { } owner } && owner.Contains(marker, StringComparison.Ordinal) && state.EventCount >= 2)
                {
                    return;
                }
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Every stored event reached the session once, in order (a seq delivered again carried identical content, checked
    /// as it arrived). Stored progress is 1..N once for an agent whose steps are durable; an agent that emits outside
    /// durable steps (burst) restarts its count when a re-run (a takeover) executes it again: each run counts 1..k and
    /// the last one reaches N, never more runs than claims.
    /// </summary>
    private static void CheckProgress(string key, string jobId, PlannedJob planned, JobState state, List<StoredJobEvent> stored, ChaosSession session, List<string> violations)
    {
        var progress = stored.Where(e => e.Type == JobEventTypes.Event && Kind(e.PayloadJson) == "progress").Select(e => Current(JsonDocument.Parse(e.PayloadJson).RootElement)).ToList();
        var runs = new List<List<int>>();
        foreach (var current in progress)
        {
            if (runs.Count == 0 || current != runs[^1][^1] + 1)
            {
                runs.Add([]);
            }

            runs[^1].Add(current);
        }

        var durableSteps = planned.Agent == "countdown";
        var wellFormed = runs.Count > 0 && runs.All(r => r[0] == 1) && runs[^1][^1] == planned.Steps && (durableSteps ? runs.Count == 1 : runs.Count <= state.Attempt);
        if (!wellFormed)
        {
            violations.Add($"{key} ({jobId}, attempt {state.Attempt}, {state.Status.ToWireName()}, {state.EventCount} events counted, {stored.Count} stored) stored progress is not {(durableSteps ? "1..N once" : "runs of 1..k ending at N")}: {string.Join(",", progress.Take(60))}…; last stored: {stored[^1].PayloadJson}");
        }

        var delivered = (session.EventsByJob.GetValueOrDefault(jobId) ?? []).Select(e => e.GetProperty("id").GetString()).ToList();
        var expected = stored.Where(e => e.Type == JobEventTypes.Event).Select(e => e.MessageId).ToList();
        if (!delivered.SequenceEqual(expected))
        {
            violations.Add($"{key} ({jobId}) the session received {delivered.Count} events, stored {expected.Count}, not the same in the same order");
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

    /// <summary>Writes each host's whole output to <c>ARCP_CHAOS_LOGS</c>, when set.</summary>
    private async Task SaveHostLogsAsync()
    {
        if (Environment.GetEnvironmentVariable("ARCP_CHAOS_LOGS") is not { Length: > 0 } logDirectory)
        {
            return;
        }

        for (var i = 0; i < _hosts.Count; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(logDirectory, $"seed{_proxy.Schedule.Options.Seed}-host{i}.log"), _hosts[i].Output);
        }
    }

    private int HostLogCount(string text) => _hosts.Sum(h => h.Output.Split(Environment.NewLine).Count(line => line.Contains(text, StringComparison.Ordinal)));

    private string HostLogs() => string.Join(Environment.NewLine + "----" + Environment.NewLine, _hosts.Select(h => string.Join(Environment.NewLine, h.Output.Split(Environment.NewLine).TakeLast(80))));
}

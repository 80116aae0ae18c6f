using System.CommandLine;
using System.Globalization;
using Arcp.Cli.Bench;
using Arcp.Cli.Rendering;
using Spectre.Console;

namespace Arcp.Cli.Commands;

/// <summary><c>arcp bench --sessions S --jobs J --events E</c>: a bounded load run with the <c>burst</c> agent.</summary>
internal static class BenchCommand
{
    public static Command Create(GlobalOptions options)
    {
        var sessions = new Option<int>("--sessions") { Description = "Concurrent sessions", DefaultValueFactory = _ => 2 };
        var jobs = new Option<int>("--jobs") { Description = "Jobs per session", DefaultValueFactory = _ => 5 };
        var events = new Option<int>("--events") { Description = "Events per job (burst n)", DefaultValueFactory = _ => 100 };
        var parallel = new Option<int>("--parallel") { Description = "Jobs in flight per session", DefaultValueFactory = _ => 4 };
        var command = new Command("bench", "Measure a runtime with the burst agent: sessions/s, jobs/s, events/s and latencies") { sessions, jobs, events, parallel };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (s, j, e, p) = (parse.GetValue(sessions), parse.GetValue(jobs), parse.GetValue(events), parse.GetValue(parallel));
            if (s is < 1 or > 1000 || j is < 1 or > 100_000 || e is < 0 or > 1_000_000 || p is < 1 or > 1000)
            {
                return CliSession.Fail(new UsageException("bounds: 1 ≤ --sessions ≤ 1000, 1 ≤ --jobs ≤ 100000, 0 ≤ --events ≤ 1000000, 1 ≤ --parallel ≤ 1000."), cancellationToken);
            }

            try
            {
                var runner = new BenchRunner(() => CliSession.Options(parse, options), s, j, e, p, TimeProvider.System);
                var report = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
                Print(report, parse.GetValue(options.Json));
                return report.JobsFailed == 0 ? ExitCodes.Success : ExitCodes.JobFailed;
            }
            catch (Exception ex)
            {
                return CliSession.Fail(ex, cancellationToken);
            }
        });
        return command;
    }

    private static void Print(BenchReport report, bool json)
    {
        if (json)
        {
            JsonOutput.WriteLine(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("sessions", report.Sessions);
                w.WriteNumber("jobs_per_session", report.JobsPerSession);
                w.WriteNumber("events_per_job", report.EventsPerJob);
                w.WriteNumber("jobs_succeeded", report.JobsSucceeded);
                w.WriteNumber("jobs_failed", report.JobsFailed);
                w.WriteNumber("events_received", report.EventsReceived);
                w.WriteNumber("connect_seconds", Math.Round(report.ConnectElapsed.TotalSeconds, 3));
                w.WriteNumber("jobs_seconds", Math.Round(report.JobsElapsed.TotalSeconds, 3));
                w.WriteNumber("sessions_per_second", Math.Round(report.SessionsPerSecond, 1));
                w.WriteNumber("jobs_per_second", Math.Round(report.JobsPerSecond, 1));
                w.WriteNumber("events_per_second", Math.Round(report.EventsPerSecond, 1));
                Latency(w, "submit_to_accepted_ms", report.SubmitToAccepted);
                Latency(w, "accepted_to_first_event_ms", report.AcceptedToFirstEvent);
                w.WriteEndObject();
            });
            return;
        }

        var table = new Table().AddColumns("METRIC", "VALUE");
        table.AddRow("sessions × jobs × events", $"{report.Sessions} × {report.JobsPerSession} × {report.EventsPerJob}");
        table.AddRow("jobs ok / failed", $"{report.JobsSucceeded} / {report.JobsFailed}");
        table.AddRow("events received", report.EventsReceived.ToString(CultureInfo.InvariantCulture));
        table.AddRow("sessions/s", F(report.SessionsPerSecond));
        table.AddRow("jobs/s", F(report.JobsPerSecond));
        table.AddRow("events/s", F(report.EventsPerSecond));
        table.AddRow("submit→accepted p50 / p99 (ms)", $"{F(report.SubmitToAccepted.P50Ms)} / {F(report.SubmitToAccepted.P99Ms)}");
        table.AddRow("accepted→first event p50 / p99 (ms)", $"{F(report.AcceptedToFirstEvent.P50Ms)} / {F(report.AcceptedToFirstEvent.P99Ms)}");
        AnsiConsole.Write(table);
    }

    private static void Latency(System.Text.Json.Utf8JsonWriter w, string name, LatencySummary summary)
    {
        w.WriteStartObject(name);
        w.WriteNumber("count", summary.Count);
        if (summary.Count > 0)
        {
            w.WriteNumber("p50", Math.Round(summary.P50Ms, 2));
            w.WriteNumber("p99", Math.Round(summary.P99Ms, 2));
        }

        w.WriteEndObject();
    }

    private static string F(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture);
}

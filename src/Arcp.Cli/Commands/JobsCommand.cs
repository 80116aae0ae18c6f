using System.CommandLine;
using System.Globalization;
using Arcp.Cli.Rendering;
using Arcp.Protocol.Messages;
using Spectre.Console;

namespace Arcp.Cli.Commands;

/// <summary><c>arcp jobs [--status …] [--agent A] [--limit N]</c>: the principal's jobs, oldest first.</summary>
internal static class JobsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var status = new Option<string[]>("--status", "-s")
        {
            Description = "Only jobs in these states: pending, running, success, error, cancelled, timed_out (repeat or comma-separate)",
            AllowMultipleArgumentsPerToken = true,
        };
        var agent = new Option<string?>("--agent") { Description = "Only jobs of this agent (name or name@version)" };
        var limit = new Option<int>("--limit", "-n") { Description = "Show at most this many jobs", DefaultValueFactory = _ => 50 };
        var command = new Command("jobs", "List your jobs") { status, agent, limit };
        command.SetAction((parse, cancellationToken) =>
        {
            List<JobStatus> statuses = [];
            foreach (var name in (parse.GetValue(status) ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (!JobStatuses.TryParse(name, out var parsed))
                {
                    return Task.FromResult(CliSession.Fail(new UsageException($"--status '{name}' is not one of pending, running, success, error, cancelled, timed_out."), cancellationToken));
                }

                statuses.Add(parsed);
            }

            var max = parse.GetValue(limit);
            if (max < 1)
            {
                return Task.FromResult(CliSession.Fail(new UsageException("--limit must be at least 1."), cancellationToken));
            }

            return CliSession.RunAsync(parse, options, async (client, ct) =>
            {
                var filter = new ListJobsFilter(statuses.Count > 0 ? statuses : null, parse.GetValue(agent));
                var jobs = new List<JobListEntry>();
                await foreach (var page in client.ListJobsAsync(filter, Math.Min(max, 100), ct).ConfigureAwait(false))
                {
                    jobs.AddRange(page.Jobs.Take(max - jobs.Count));
                    if (jobs.Count >= max)
                    {
                        break;
                    }
                }

                Print(jobs, parse.GetValue(options.Json));
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }

    private static void Print(List<JobListEntry> jobs, bool json)
    {
        if (json)
        {
            JsonOutput.WriteLine(w =>
            {
                w.WriteStartArray();
                foreach (var job in jobs)
                {
                    w.WriteStartObject();
                    w.WriteString("job_id", job.JobId);
                    w.WriteString("agent", job.Agent);
                    w.WriteString("status", job.Status.ToWireName());
                    w.WriteString("created_at", job.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                    w.WriteNumber("last_event_seq", job.LastEventSeq);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return;
        }

        var table = new Table().AddColumns(new TableColumn("JOB").NoWrap(), new TableColumn("AGENT").NoWrap(), new TableColumn("STATUS"), new TableColumn("CREATED").NoWrap(), new TableColumn("LAST SEQ").RightAligned());
        foreach (var job in jobs)
        {
            table.AddRow(
                Markup.Escape(job.JobId),
                Markup.Escape(job.Agent),
                Markup.Escape(job.Status.ToWireName()),
                job.CreatedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                job.LastEventSeq.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]{jobs.Count} job(s)[/]");
    }
}

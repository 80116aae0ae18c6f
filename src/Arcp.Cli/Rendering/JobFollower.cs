using System.Globalization;
using Arcp.Client.Jobs;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Spectre.Console;

namespace Arcp.Cli.Rendering;

/// <summary>
/// Shows a job's events as they arrive: JSON Lines, a live progress bar with log lines above it on a terminal, or plain
/// progress and log lines when the output is redirected.
/// </summary>
internal static class JobFollower
{
    public static async Task FollowAsync(JobHandle job, bool json, CancellationToken cancellationToken)
    {
        if (json)
        {
            await foreach (var e in job.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
            {
                JsonOutput.Event(e);
            }
        }
        else if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            await FollowLiveAsync(job, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await FollowPlainAsync(job, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task FollowLiveAsync(JobHandle job, CancellationToken cancellationToken) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape($"{job.Agent} {job.JobId}"), maxValue: 100);
                task.IsIndeterminate = true;
                await foreach (var e in job.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (e.Body is ProgressBody progress)
                    {
                        if (progress.Total is > 0 and var total)
                        {
                            task.IsIndeterminate = false;
                            task.MaxValue = total;
                        }

                        task.Value = progress.Current;
                    }
                    else if (Describe(e) is { } line)
                    {
                        AnsiConsole.MarkupLine($"[grey]{e.EventSeq,5}[/] {Markup.Escape(line)}");
                    }
                }

                task.StopTask();
            });

    private static async Task FollowPlainAsync(JobHandle job, CancellationToken cancellationToken)
    {
        var lastPercent = -1;
        await foreach (var e in job.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (e.Body is ProgressBody progress)
            {
                var percent = progress.Total is > 0 and var total ? (int)(100 * progress.Current / total) : -1;
                if (percent == lastPercent && percent >= 0)
                {
                    continue;
                }

                lastPercent = percent;
                Console.Out.WriteLine(percent >= 0
                    ? string.Create(CultureInfo.InvariantCulture, $"progress {Bar(percent)} {progress.Current}/{progress.Total} {percent}%{Suffix(progress.Message)}")
                    : string.Create(CultureInfo.InvariantCulture, $"progress {progress.Current}{progress.Units}{Suffix(progress.Message)}"));
            }
            else if (Describe(e) is { } line)
            {
                Console.Out.WriteLine(line);
            }
        }
    }

    private static string Bar(int percent)
    {
        var filled = Math.Clamp(percent / 5, 0, 20);
        return "[" + new string('#', filled) + new string('.', 20 - filled) + "]";
    }

    private static string Suffix(string? message) => string.IsNullOrEmpty(message) ? "" : " " + message;

    private static string? Describe(JobEventReceived e) => e.Body switch
    {
        LogBody log => $"{log.Level,-5} {log.Message}",
        ThoughtBody thought => $"thought {thought.Text}",
        StatusBody status => $"status {status.Phase}{Suffix(status.Message)}",
        ToolCallBody call => $"tool_call {call.Tool} ({call.CallId})",
        ToolResultBody result => $"tool_result {result.CallId}{(result.Error is { } error ? " error " + error.Code.ToWireName() : "")}",
        MetricBody metric => string.Create(CultureInfo.InvariantCulture, $"metric {metric.Name} = {metric.Value}{(metric.Unit is null ? "" : " " + metric.Unit)}"),
        ResultChunkBody chunk => $"result_chunk {chunk.ChunkSeq}{(chunk.More ? "" : " (last)")}",
        _ => e.Kind,
    };
}

using System.CommandLine;
using System.Text.Json;
using Arcp.Cli.Rendering;
using Arcp.Client;
using Arcp.Client.Jobs;

namespace Arcp.Cli.Commands;

/// <summary>
/// <c>arcp submit AGENT --input JSON|@file [--follow] [--no-wait]</c>: submits a job, waits for its end (showing its
/// events with <c>--follow</c>) and exits with a code for its final status. Ctrl+C cancels the job.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create(GlobalOptions options)
    {
        var agent = new Argument<string>("agent") { Description = "Agent name or name@version" };
        var input = new Option<string?>("--input", "-i") { Description = "Agent input: JSON text, or @file to read it from a file" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Show events as they arrive (progress bar and log lines; JSON Lines with --json)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the job id once accepted and exit; the job runs on" };
        var maxRuntime = new Option<long?>("--max-runtime") { Description = "Runtime limit in seconds" };
        var command = new Command("submit", "Submit a job and wait for its result") { agent, input, follow, noWait, maxRuntime };
        command.SetAction((parse, cancellationToken) =>
        {
            JsonElement? inputValue;
            try
            {
                inputValue = ReadInput(parse.GetValue(input));
            }
            catch (Exception ex) when (ex is JsonException or IOException or UsageException)
            {
                return Task.FromResult(CliSession.Fail(ex, cancellationToken));
            }

            return CliSession.RunAsync(parse, options, async (client, ct) =>
            {
                var json = parse.GetValue(options.Json);
                var job = await client.SubmitAsync(parse.GetValue(agent)!, inputValue, new JobSubmitOptions(MaxRuntimeSec: parse.GetValue(maxRuntime)), ct).ConfigureAwait(false);
                if (parse.GetValue(noWait))
                {
                    if (json)
                    {
                        JsonOutput.WriteLine(w =>
                        {
                            w.WriteStartObject();
                            w.WriteString("job_id", job.JobId);
                            w.WriteString("status", "pending");
                            w.WriteEndObject();
                        });
                    }
                    else
                    {
                        Console.Out.WriteLine(job.JobId);
                    }

                    return ExitCodes.Success;
                }

                if (!json)
                {
                    Console.Error.WriteLine($"job {job.JobId} accepted ({job.Agent})");
                }

                return await WaitAsync(client, job, parse.GetValue(follow), json, ct).ConfigureAwait(false);
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>Follows (or just awaits) the job; on Ctrl+C cancels it and reports how it ended.</summary>
    internal static async Task<int> WaitAsync(ArcpClient client, JobHandle job, bool follow, bool json, CancellationToken cancellationToken)
    {
        try
        {
            if (follow)
            {
                await JobFollower.FollowAsync(job, json, cancellationToken).ConfigureAwait(false);
            }

            var outcome = await job.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            return OutcomePrinter.Print(outcome, json);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && job.Accepted is not null)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client.CancelAsync(job.JobId, "interrupted", grace.Token).ConfigureAwait(false);
            var outcome = await job.Completion.WaitAsync(grace.Token).ConfigureAwait(false);
            return OutcomePrinter.Print(outcome, json);
        }
    }

    internal static JsonElement? ReadInput(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.StartsWith('@'))
        {
            var path = text[1..];
            if (!File.Exists(path))
            {
                throw new UsageException($"--input file '{path}' does not exist.");
            }

            text = File.ReadAllText(path);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--input is not valid JSON: {ex.Message}", ex);
        }
    }
}

using System.CommandLine;

namespace Arcp.Cli.Commands;

/// <summary><c>arcp watch JOB</c>: subscribes with history and shows the job's events until it ends.</summary>
internal static class WatchCommand
{
    public static Command Create(GlobalOptions options)
    {
        var jobId = new Argument<string>("job") { Description = "Job id" };
        var command = new Command("watch", "Follow a job's events (history first, then live) until it ends") { jobId };
        command.SetAction((parse, cancellationToken) => CliSession.RunAsync(parse, options, async (client, ct) =>
        {
            var job = await client.SubscribeAsync(parse.GetValue(jobId)!, history: true, cancellationToken: ct).ConfigureAwait(false);
            return await SubmitCommand.WaitAsync(client, job, follow: true, parse.GetValue(options.Json), ct).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }
}

using System.CommandLine;
using Arcp.Cli.Rendering;

namespace Arcp.Cli.Commands;

/// <summary><c>arcp result JOB</c>: subscribes with history and prints the job's result once it has one.</summary>
internal static class ResultCommand
{
    public static Command Create(GlobalOptions options)
    {
        var jobId = new Argument<string>("job") { Description = "Job id" };
        var command = new Command("result", "Print a job's result (waits for the job to end)") { jobId };
        command.SetAction((parse, cancellationToken) => CliSession.RunAsync(parse, options, async (client, ct) =>
        {
            var job = await client.SubscribeAsync(parse.GetValue(jobId)!, history: true, cancellationToken: ct).ConfigureAwait(false);
            var outcome = await job.Completion.WaitAsync(ct).ConfigureAwait(false);
            return OutcomePrinter.Print(outcome, parse.GetValue(options.Json));
        }, cancellationToken));
        return command;
    }
}

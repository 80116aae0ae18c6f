using System.CommandLine;
using Arcp.Cli.Rendering;
using Arcp.Client.Errors;
using Arcp.Protocol.Errors;

namespace Arcp.Cli.Commands;

/// <summary>
/// <c>arcp cancel JOB</c>: asks the runtime to cancel a job. Only the session that submitted a job may cancel it, so
/// this works for jobs of a session this command resumes — otherwise the runtime refuses with <c>PERMISSION_DENIED</c>.
/// </summary>
internal static class CancelCommand
{
    public static Command Create(GlobalOptions options)
    {
        var jobId = new Argument<string>("job") { Description = "Job id" };
        var reason = new Option<string?>("--reason") { Description = "Reason recorded with the cancellation" };
        var command = new Command("cancel", "Cancel a job") { jobId, reason };
        command.SetAction((parse, cancellationToken) => CliSession.RunAsync(parse, options, async (client, ct) =>
        {
            var id = parse.GetValue(jobId)!;
            try
            {
                await client.CancelAsync(id, parse.GetValue(reason), ct).ConfigureAwait(false);
            }
            catch (ArcpErrorException ex) when (ex.Code == ErrorCode.PermissionDenied)
            {
                Console.Error.WriteLine($"arcp: only the session that submitted {id} may cancel it ({ex.CodeName}); press Ctrl+C in its `arcp submit` instead");
                return ExitCodes.Refused;
            }

            if (parse.GetValue(options.Json))
            {
                JsonOutput.WriteLine(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("job_id", id);
                    w.WriteString("status", "cancel_requested");
                    w.WriteEndObject();
                });
            }
            else
            {
                Console.Out.WriteLine($"cancel requested for {id}");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}

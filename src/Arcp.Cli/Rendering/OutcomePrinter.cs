using System.Text.Json;
using Arcp.Client.Jobs;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;

namespace Arcp.Cli.Rendering;

/// <summary>Prints how a job ended (result on stdout, failure on stderr) and returns the matching exit code.</summary>
internal static class OutcomePrinter
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Print(JobOutcome outcome, bool json)
    {
        if (json)
        {
            JsonOutput.Outcome(outcome);
        }
        else if (outcome.Error is { } error)
        {
            Console.Error.WriteLine($"arcp: job {outcome.JobId} ended {outcome.Status.ToWireName()}: {error.Message} ({error.Code.ToWireName()})");
        }
        else if (outcome.StreamedResult is { } bytes)
        {
            Console.Out.WriteLine(outcome.StreamedResultIsText ? outcome.GetStreamedText() : Convert.ToBase64String(bytes.Span));
        }
        else if (outcome.Result is { } result)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(result, s_indented));
        }
        else if (outcome.Status != JobStatus.Success)
        {
            Console.Error.WriteLine($"arcp: job {outcome.JobId} ended {outcome.Status.ToWireName()}");
        }

        return ExitCodes.For(outcome.Status);
    }
}

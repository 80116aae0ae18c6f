using System.CommandLine;
using Arcp.Cli.Commands;

namespace Arcp.Cli;

/// <summary>The <c>arcp</c> command tree.</summary>
internal static class CliApplication
{
    public static Task<int> RunAsync(string[] args)
    {
        var options = new GlobalOptions();
        var root = new RootCommand("arcp — talk to an ARCP v1.1 runtime: submit and follow jobs, list, watch, cancel, fetch results, benchmark.");
        options.AddTo(root);
        root.Subcommands.Add(AgentsCommand.Create(options));
        root.Subcommands.Add(SubmitCommand.Create(options));
        root.Subcommands.Add(JobsCommand.Create(options));
        root.Subcommands.Add(WatchCommand.Create(options));
        root.Subcommands.Add(CancelCommand.Create(options));
        root.Subcommands.Add(ResultCommand.Create(options));
        root.Subcommands.Add(BenchCommand.Create(options));
        if (Console.IsOutputRedirected)
        {
            // Redirected output has no terminal width; keep table rows (job ids) on one line.
            Spectre.Console.AnsiConsole.Profile.Width = 200;
        }

        // "@file" is the --input syntax, not a response file.
        return root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).InvokeAsync();
    }
}

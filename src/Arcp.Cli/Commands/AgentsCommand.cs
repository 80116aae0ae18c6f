using System.CommandLine;
using Arcp.Cli.Rendering;
using Spectre.Console;

namespace Arcp.Cli.Commands;

/// <summary><c>arcp agents</c>: the runtime's agent inventory from the welcome.</summary>
internal static class AgentsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("agents", "List the agents the runtime offers");
        command.SetAction((parse, cancellationToken) => CliSession.RunAsync(parse, options, (client, _) =>
        {
            var agents = client.Session.Agents;
            if (parse.GetValue(options.Json))
            {
                JsonOutput.WriteLine(w =>
                {
                    w.WriteStartArray();
                    foreach (var agent in agents)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", agent.Name);
                        w.WriteStartArray("versions");
                        foreach (var version in agent.Versions)
                        {
                            w.WriteStringValue(version);
                        }

                        w.WriteEndArray();
                        if (agent.Default is { } defaultVersion)
                        {
                            w.WriteString("default", defaultVersion);
                        }

                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
            }
            else
            {
                var table = new Table().AddColumns("AGENT", "VERSIONS", "DEFAULT");
                foreach (var agent in agents)
                {
                    table.AddRow(Markup.Escape(agent.Name), Markup.Escape(string.Join(", ", agent.Versions)), Markup.Escape(agent.Default ?? ""));
                }

                AnsiConsole.Write(table);
            }

            return Task.FromResult(ExitCodes.Success);
        }, cancellationToken));
        return command;
    }
}

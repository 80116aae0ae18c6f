using Arcp.Cli;

return await CliApplication.RunAsync(args).ConfigureAwait(false);

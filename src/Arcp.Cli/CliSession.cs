using System.CommandLine;
using System.Text.Json;
using Arcp.Client;
using Arcp.Client.Errors;
using Arcp.Protocol.Errors;

namespace Arcp.Cli;

/// <summary>Connects for a command and turns every failure into one friendly line on stderr and an exit code.</summary>
internal static class CliSession
{
    public static ArcpClientOptions Options(ParseResult parse, GlobalOptions options)
    {
        var url = parse.GetValue(options.Url) ?? GlobalOptions.DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss" or "http" or "https"))
        {
            throw new UsageException($"--url '{url}' is not a ws://, wss://, http:// or https:// URL.");
        }

        return new ArcpClientOptions
        {
            Url = uri,
            Token = parse.GetValue(options.Token),
            ClientName = "arcp-cli",
            ConnectTimeout = TimeSpan.FromSeconds(10),
            Reconnect = new ArcpReconnectPolicy(MaxAttempts: 5),
        };
    }

    /// <summary>Runs <paramref name="body"/> with a connected client; maps failures to stderr and exit codes.</summary>
    public static async Task<int> RunAsync(ParseResult parse, GlobalOptions options, Func<ArcpClient, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            var client = await ArcpClient.ConnectAsync(Options(parse, options), cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                return await body(client, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            return Fail(ex, cancellationToken);
        }
    }

    public static int Fail(Exception ex, CancellationToken cancellationToken)
    {
        var (message, code) = Describe(ex, cancellationToken);
        Console.Error.WriteLine("arcp: " + message);
        return code;
    }

    internal static (string Message, int ExitCode) Describe(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        UsageException usage => (usage.Message, ExitCodes.Usage),
        JsonException json => ("invalid JSON: " + json.Message, ExitCodes.Usage),
        IOException io => (io.Message, ExitCodes.Usage),
        OperationCanceledException when cancellationToken.IsCancellationRequested => ("interrupted", ExitCodes.Interrupted),
        ArcpConnectionException connection => (connection.Message, ExitCodes.Unreachable),
        ResumeWindowExpiredException expired => ("the session could not be resumed after the connection dropped: " + expired.Message, ExitCodes.SessionLost),
        ArcpErrorException { Code: ErrorCode.Unauthenticated } => ("the runtime refused the token (UNAUTHENTICATED); set --token or ARCP_TOKEN", ExitCodes.Unauthenticated),
        ArcpErrorException { Code: ErrorCode.AgentNotAvailable or ErrorCode.AgentVersionNotAvailable } error => ($"{error.Message} ({error.CodeName}); `arcp agents` lists the agents", ExitCodes.Refused),
        ArcpErrorException error => ($"{error.Message} ({error.CodeName})", ExitCodes.Refused),
        OperationCanceledException => ("timed out", ExitCodes.Unreachable),
        _ => ($"unexpected failure: {ex.Message}", ExitCodes.Usage),
    };
}

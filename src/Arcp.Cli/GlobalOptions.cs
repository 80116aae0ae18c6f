using System.CommandLine;

namespace Arcp.Cli;

/// <summary>Options every command takes: where to connect, the token, and JSON output.</summary>
internal sealed class GlobalOptions
{
    public const string DefaultUrl = "ws://localhost:5080/arcp";
    public const string UrlVariable = "ARCP_URL";
    public const string TokenVariable = "ARCP_TOKEN";

    public Option<string> Url { get; } = new("--url")
    {
        Description = $"Runtime endpoint: ws(s)://host/arcp, or an http(s) negotiate URL [env: {UrlVariable}]",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : DefaultUrl,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Bearer token [env: {TokenVariable}]",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(TokenVariable),
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Machine-readable JSON on stdout",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Url);
        root.Options.Add(Token);
        root.Options.Add(Json);
    }
}

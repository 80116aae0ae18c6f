using System.Diagnostics;
using System.Text;

namespace Arcp.Cli.Tests;

/// <summary>Runs the built <c>arcp</c> tool as a separate process, the way a user would.</summary>
internal static class CliProcess
{
    private static readonly Lazy<string> s_tool = new(() =>
    {
        // The tool is built in the same configuration as this test assembly (…/bin/Release/net10.0/).
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = RepositoryPaths.Combine("src", "Arcp.Cli", "bin", configuration, "net10.0", "arcp.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Arcp.Cli first.", path);
    });

    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string[] Lines => StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
    }

    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(s_tool.Value);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("ARCP_URL");
        start.Environment.Remove("ARCP_TOKEN");
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    public static async Task<Result> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        using var process = Start(args, environment);
        return await CompleteAsync(process, timeout);
    }

    public static async Task<Result> CompleteAsync(Process process, TimeSpan? timeout = null)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"arcp did not exit in time; stdout so far: {await stdout}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}

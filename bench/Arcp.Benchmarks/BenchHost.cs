using Arcp.Testing;

namespace Arcp.Benchmarks;

/// <summary>An <c>Arcp.Host</c> process for one suite: its own table prefix and task hub, the benchmark token, quiet logs.</summary>
internal static class BenchHost
{
    public static async Task<(HostProcess Host, Uri Endpoint, DirectoryInfo WorkDir)> StartAsync(string connectionString, string tablePrefix, string taskHubName, IReadOnlyDictionary<string, string>? settings = null)
    {
        var workDir = Directory.CreateTempSubdirectory("arcp-bench-");
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["Arcp__Storage__TablePrefix"] = tablePrefix,
            ["Arcp__Durable__TaskHubName"] = taskHubName,
            ["Arcp__Auth__Tokens__" + ArcpWireClient.DefaultToken] = "bench",
            ["Arcp__Sessions__MaxSessionsPerPrincipal"] = "5000",
            ["Arcp__Sessions__MaxInboundPerSecond"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var host = HostProcess.Start(workDir.FullName, environment);
        using (await host.WaitHealthyAsync(TimeSpan.FromSeconds(120)))
        {
        }

        return (host, new Uri($"ws://{host.BaseAddress.Authority}/arcp"), workDir);
    }

    /// <summary>A fresh name: a letter, then ten hex digits (valid as a table prefix and a task hub name).</summary>
    public static string Name(char first) => first + Guid.NewGuid().ToString("N")[..10];
}

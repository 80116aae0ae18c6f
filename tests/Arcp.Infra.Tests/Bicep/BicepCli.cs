using System.Diagnostics;
using System.Reflection;

namespace Arcp.Infra.Tests.Bicep;

/// <summary>Runs the Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package the project restores.</summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly Lock ExecutableLock = new();

    public static string ExecutablePath
    {
        get
        {
            var packageDirectory = typeof(BicepCli).Assembly
                .GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "BicepPackageDirectory").Value;
            if (string.IsNullOrEmpty(packageDirectory))
            {
                throw new InvalidOperationException("The Bicep package directory was not recorded at build time.");
            }

            var path = Path.Combine(packageDirectory, "tools", "bicep");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException("The Bicep CLI is missing from its package.", path);
            }

            if (!OperatingSystem.IsWindows())
            {
                EnsureExecutable(path);
            }

            return path;
        }
    }

    public static async Task<BicepResult> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Keep the runs offline and reproducible: no telemetry, no environment leaking into readEnvironmentVariable().
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        foreach (var name in new[] { "ARCP_JWT_ISSUER", "ARCP_JWT_AUDIENCE", "ARCP_JWT_SIGNING_KEYS", "ARCP_UPSTREAM_AUDIENCE" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The Bicep CLI did not start.");
        using var cts = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepResult(process.ExitCode, await stdout, await stderr);
    }

    // The package is linux-x64 only, and so are these tests.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void EnsureExecutable(string path)
    {
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        lock (ExecutableLock)
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                // NuGet extracts package files without execute bits on some setups.
                File.SetUnixFileMode(path, mode | execute);
            }
        }
    }
}

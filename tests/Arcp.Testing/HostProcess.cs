using System.Collections.Concurrent;
using System.Diagnostics;

namespace Arcp.Testing;

/// <summary>Runs the built <c>Arcp.Host</c> as a separate process, configured only through the documented contract.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private HostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>The OS process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The process's resident memory right now.</summary>
    public long ResidentMemoryBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>Ends the process at once (SIGKILL), as a crash would, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// Starts the host on a free port; <paramref name="bindAllInterfaces"/> listens on <c>0.0.0.0</c> (reached through
    /// 127.0.0.1) instead of loopback only.
    /// </summary>
    public static HostProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, bool urlsFromEnvironment = false, bool bindAllInterfaces = false)
    {
        var port = FreePorts.Next();
        var url = $"http://{(bindAllInterfaces ? "0.0.0.0" : "127.0.0.1")}:{port}";
        var hostDll = HostAssemblyPath();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(hostDll);
        if (urlsFromEnvironment)
        {
            start.Environment["ASPNETCORE_URLS"] = url;
        }
        else
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add(url);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("host did not start");
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) host._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) host._output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The host's own build output (same configuration as this test assembly), with its own deps and runtimeconfig.</summary>
    private static string HostAssemblyPath()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        return RepositoryPaths.Combine("src", "Arcp.Host", "bin", configuration, framework.Name, "Arcp.Host.dll");
    }

    /// <summary>Polls <c>/healthz</c> until it answers 200 or the process exits.</summary>
    public async Task<HttpResponseMessage> WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        HttpResponseMessage? last = null;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                last?.Dispose();
                last = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (last.IsSuccessStatusCode)
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting up to answer within one request's timeout.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"host never became healthy (last status {last?.StatusCode}); output:{Environment.NewLine}{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

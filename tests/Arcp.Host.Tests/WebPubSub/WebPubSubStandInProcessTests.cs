using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Arcp.Host.Tests.WebPubSub;

/// <summary>
/// The runnable stand-in (<c>tests/Arcp.WebPubSub.StandIn</c>) as its own process, started with the documented
/// command line, and a session run through it: negotiate → stand-in → upstream → host → REST → client.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebPubSubStandInProcessTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunnableStandIn_SessionRunsThroughIt(bool entra)
    {
        var port = FreePorts.Next();
        var hostPort = FreePorts.Next();
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        string[] arguments =
        [
            "--urls", $"http://127.0.0.1:{port}",
            "--upstream", $"http://127.0.0.1:{hostPort}/api/webpubsub",
            "--access-key", key,
            "--hub", "arcp",
            "--rest-latency-ms", "2",
            .. entra ? ["--entra"] : Array.Empty<string>(),
        ];
        await using var standIn = await StandInProcess.StartAsync(arguments);

        var settings = standIn.Settings.Where(s => s.StartsWith("--", StringComparison.Ordinal)).ToList();
        var environment = standIn.Settings.Where(s => s.StartsWith("env ", StringComparison.Ordinal)).Select(s => s[4..].Split('=', 2)).ToList();
        foreach (var pair in environment)
        {
            Environment.SetEnvironmentVariable(pair[0], pair[1]);
        }

        try
        {
            await using var host = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, [.. settings, "--urls", $"http://127.0.0.1:{hostPort}"]);
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Address, "/api/negotiate"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "tok-alice");
            using var response = await http.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"negotiate: {(int)response.StatusCode}; stand-in output:{Environment.NewLine}{standIn.Output}");
            var url = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString()!;
            await using var client = await ArcpTestClient.ConnectAsync(new Uri(url));

            var welcome = await client.HelloAsync("tok-alice", ["progress"]);
            await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 3, interval_ms = 10 } });
            var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
            var events = await client.ReceiveThroughTerminalAsync(jobId);

            Assert.StartsWith($"ws://127.0.0.1:{port}/client/hubs/arcp?access_token=", url, StringComparison.Ordinal);
            Assert.Equal("session.welcome", welcome.GetProperty("type").GetString());
            Assert.Equal("job.result", events[^1].GetProperty("type").GetString());
            Assert.Equal(entra ? 3 : 1, settings.Count(s => s.Contains("Upstream", StringComparison.Ordinal) || s.Contains("AccessKeys", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var pair in environment)
            {
                Environment.SetEnvironmentVariable(pair[0], null);
            }
        }
    }

    /// <summary>The built stand-in run with <c>dotnet</c>, its output captured; ready once it prints <c>ready</c>.</summary>
    private sealed class StandInProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output = new();
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private StandInProcess(Process process) => _process = process;

        public string Output => string.Join(Environment.NewLine, _output);

        /// <summary>The host settings (<c>--Key=Value</c>) and environment (<c>env NAME=value</c>) it printed.</summary>
        public IReadOnlyList<string> Settings => _output.Select(l => l.Trim()).Where(l => l.StartsWith("--", StringComparison.Ordinal) || l.StartsWith("env ", StringComparison.Ordinal)).ToList();

        public static async Task<StandInProcess> StartAsync(IEnumerable<string> arguments)
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var dll = RepositoryPaths.Combine("tests", "Arcp.WebPubSub.StandIn", "bin", framework.Parent!.Name, framework.Name, "Arcp.WebPubSub.StandIn.dll");
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(dll);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("stand-in did not start");
            var standIn = new StandInProcess(process);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    standIn._output.Enqueue(e.Data);
                    if (e.Data == "ready")
                    {
                        standIn._ready.TrySetResult();
                    }
                }
            };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) standIn._output.Enqueue(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var exited = process.WaitForExitAsync();
            if (await Task.WhenAny(standIn._ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(60))) != standIn._ready.Task)
            {
                await standIn.DisposeAsync();
                throw new TimeoutException($"stand-in not ready; output:{Environment.NewLine}{standIn.Output}");
            }

            return standIn;
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
}

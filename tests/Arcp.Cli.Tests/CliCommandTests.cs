using System.Diagnostics;
using System.Text.Json;
using Arcp.Client;

namespace Arcp.Cli.Tests;

/// <summary>The built tool against the in-process host: exit codes, JSON output, progress rendering, friendly errors.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CliCommandTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string[] Connection(string token = "tok-alice") => ["--url", _host.ArcpUri.ToString(), "--token", token];

    private Dictionary<string, string> Environment(string token = "tok-alice") => new() { ["ARCP_URL"] = _host.ArcpUri.ToString(), ["ARCP_TOKEN"] = token };

    [Fact]
    public async Task Submit_EchoJson_PrintsExactlyOneObjectAndExitsZero()
    {
        var run = await CliProcess.RunAsync(["submit", "echo", "--input", """{"greeting":"hi"}""", "--json", .. Connection()]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var line = Assert.Single(run.Lines);
        using var json = JsonDocument.Parse(line);
        Assert.StartsWith("job_", json.RootElement.GetProperty("job_id").GetString(), StringComparison.Ordinal);
        Assert.Equal("success", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("hi", json.RootElement.GetProperty("result").GetProperty("greeting").GetString());
    }

    [Fact]
    public async Task Submit_InputFromFileAndEnvironmentDefaults_Works()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{"steps":2,"interval_ms":1}""");
        try
        {
            var run = await CliProcess.RunAsync(["submit", "countdown", "--input", "@" + file, "--json"], Environment());

            Assert.True(run.ExitCode == 0, run.ToString());
            using var json = JsonDocument.Parse(Assert.Single(run.Lines));
            Assert.Equal(2, json.RootElement.GetProperty("result").GetProperty("steps").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task SubmitFollow_Countdown_RendersProgress()
    {
        var run = await CliProcess.RunAsync(["submit", "countdown", "--input", """{"steps":4,"interval_ms":20}""", "--follow", .. Connection()]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("progress", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("4/4 100%", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("2/4 50%", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"steps\": 4", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitFollowJson_EventLinesThenFinalObject()
    {
        var run = await CliProcess.RunAsync(["submit", "countdown", "--input", """{"steps":3,"interval_ms":1}""", "--follow", "--json", .. Connection()]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, lines.Count);
        Assert.Equal([1L, 2, 3], lines.Take(3).Select(e => e.GetProperty("event_seq").GetInt64()));
        Assert.All(lines.Take(3), e => Assert.Equal("progress", e.GetProperty("kind").GetString()));
        Assert.Equal(3, lines[2].GetProperty("body").GetProperty("current").GetInt32());
        Assert.Equal("success", lines[3].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{"steps":-1}""", null, 2, "error")]
    [InlineData("""{"steps":100,"interval_ms":100}""", "1", 4, "timed_out")]
    public async Task Submit_FailingJob_ExitCodeFollowsFinalStatus(string input, string? maxRuntime, int exitCode, string status)
    {
        string[] limit = maxRuntime is null ? [] : ["--max-runtime", maxRuntime];

        var run = await CliProcess.RunAsync(["submit", "countdown", "--input", input, "--json", .. limit, .. Connection()]);

        Assert.True(run.ExitCode == exitCode, run.ToString());
        using var json = JsonDocument.Parse(Assert.Single(run.Lines));
        Assert.Equal(status, json.RootElement.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Submit_Interrupted_CancelsJobAndExitsCancelled()
    {
        using var process = CliProcess.Start(["submit", "countdown", "--input", """{"steps":300,"interval_ms":50}""", "--follow", "--json", .. Connection()]);
        var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("progress", firstLine, StringComparison.Ordinal);

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var run = await CliProcess.CompleteAsync(process, TimeSpan.FromSeconds(30));
        Assert.True(run.ExitCode == 3, run.ToString());
        using var final = JsonDocument.Parse(run.Lines[^1]);
        Assert.Equal("cancelled", final.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Submit_UnknownAgent_FriendlyOneLineErrorExit7()
    {
        var run = await CliProcess.RunAsync(["submit", "no-such-agent", .. Connection()]);

        Assert.True(run.ExitCode == 7, run.ToString());
        var line = Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("arcp: ", line, StringComparison.Ordinal);
        Assert.Contains("AGENT_NOT_AVAILABLE", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agents_BadToken_FriendlyOneLineErrorExit6()
    {
        var run = await CliProcess.RunAsync(["agents", .. Connection("not-a-token")]);

        Assert.True(run.ExitCode == 6, run.ToString());
        var line = Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("refused the token", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-token", run.StdErr, StringComparison.Ordinal);
        Assert.Empty(run.StdOut);
    }

    [Fact]
    public async Task Agents_UnreachableUrl_FriendlyOneLineErrorExit5()
    {
        var url = $"ws://127.0.0.1:{FreePorts.Next()}/arcp";

        var run = await CliProcess.RunAsync(["agents", "--url", url, "--token", "tok-alice"]);

        Assert.True(run.ExitCode == 5, run.ToString());
        var line = Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("arcp: cannot reach", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agents_Json_ListsBuiltInAgents()
    {
        var run = await CliProcess.RunAsync(["agents", "--json"], Environment());

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(Assert.Single(run.Lines));
        Assert.Contains(json.RootElement.EnumerateArray(), a => a.GetProperty("name").GetString() == "burst");
    }

    [Fact]
    public async Task JobsResultWatchCancel_JobOfAnotherSession()
    {
        // Arrange: two finished jobs and a running one, submitted by a library client of the same principal.
        await using var client = await ArcpClient.ConnectAsync(new ArcpClientOptions { Url = _host.ArcpUri, Token = "tok-alice" });
        var echo = await client.SubmitAsync("echo", JsonSerializer.SerializeToElement(new { answer = 42 }));
        await echo.GetResultAsync();
        var countdown = await client.SubmitAsync("countdown", JsonSerializer.SerializeToElement(new { steps = 3, interval_ms = 1 }));
        await countdown.GetResultAsync();
        var running = await client.SubmitAsync("countdown", JsonSerializer.SerializeToElement(new { steps = 400, interval_ms = 50 }));

        // Act
        var jobs = await CliProcess.RunAsync(["jobs", "--status", "success", "--json", "--limit", "100"], Environment());
        var result = await CliProcess.RunAsync(["result", echo.JobId, "--json"], Environment());
        var watch = await CliProcess.RunAsync(["watch", countdown.JobId, "--json"], Environment());
        var cancel = await CliProcess.RunAsync(["cancel", running.JobId], Environment());
        var table = await CliProcess.RunAsync(["jobs"], Environment());

        // Assert
        Assert.True(jobs.ExitCode == 0, jobs.ToString());
        using var listed = JsonDocument.Parse(Assert.Single(jobs.Lines));
        var ids = listed.RootElement.EnumerateArray().Select(j => j.GetProperty("job_id").GetString()).ToList();
        Assert.Contains(echo.JobId, ids);
        Assert.Contains(countdown.JobId, ids);
        Assert.DoesNotContain(running.JobId, ids);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var resultJson = JsonDocument.Parse(Assert.Single(result.Lines));
        Assert.Equal(42, resultJson.RootElement.GetProperty("result").GetProperty("answer").GetInt32());

        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Equal(4, watch.Lines.Length);

        Assert.True(cancel.ExitCode == 7, cancel.ToString());
        Assert.Contains("only the session that submitted", cancel.StdErr, StringComparison.Ordinal);

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(running.JobId, table.StdOut, StringComparison.Ordinal);

        await running.CancelAsync();
    }

    [Fact]
    public async Task Bench_Json_ReportsEveryEventAndRates()
    {
        var run = await CliProcess.RunAsync(["bench", "--sessions", "2", "--jobs", "3", "--events", "50", "--json", .. Connection()], timeout: TimeSpan.FromSeconds(120));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(Assert.Single(run.Lines));
        var report = json.RootElement;
        Assert.Equal(6, report.GetProperty("jobs_succeeded").GetInt32());
        Assert.Equal(300, report.GetProperty("events_received").GetInt64());
        Assert.True(report.GetProperty("events_per_second").GetDouble() > 0);
        Assert.Equal(6, report.GetProperty("submit_to_accepted_ms").GetProperty("count").GetInt32());
        Assert.True(report.GetProperty("accepted_to_first_event_ms").GetProperty("p99").GetDouble() >= 0);
    }
}

using Arcp.Testing.Faults;

namespace Arcp.Host.Tests.Faults;

/// <summary>The fault tools on a real host process: storage through the fault proxy, and a frozen process.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HostProcessFaultToolsTests(AzuriteFixture azurite) : IDisposable
{
    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("arcp-faults-");

    [Fact]
    public async Task StorageFaultProxy_HostConfiguredWithItsConnectionString_RunsJobsThroughIt()
    {
        // Arrange: the host knows only the proxy's connection string; the proxy injects nothing.
        var schedule = new FaultSchedule(new FaultScheduleOptions());
        await using var proxy = await StorageFaultProxy.StartAsync(azurite.ConnectionString, schedule);
        await using var host = HostProcess.Start(_workDir.FullName, Environment(proxy.ConnectionString));
        using var _ = await host.WaitHealthyAsync(TimeSpan.FromSeconds(60));

        // Act: an echo job runs through the Durable task hub, whose queues, tables and blobs are behind the proxy too.
        await using var client = await ArcpTestClient.ConnectAsync(new Uri($"ws://{host.BaseAddress.Authority}/arcp"));
        await client.HelloAsync("tokA", ["progress"]);
        await client.SendAsync("job.submit", new { agent = "echo", input = new { via = "proxy" } });
        var (result, _) = await client.ReceiveTypeAsync("job.result", TimeSpan.FromSeconds(60));

        // Assert
        Assert.Equal("proxy", result.GetProperty("payload").GetProperty("result").GetProperty("via").GetString());
        Assert.True(proxy.Forwarded > 10, $"{proxy.Forwarded} requests forwarded");
        Assert.Equal(0, schedule.InjectedTotal);
    }

    [Fact]
    public async Task PauseAsync_HealthyHost_UnresponsiveWhilePausedThenServesAgain()
    {
        // Arrange
        await using var host = HostProcess.Start(_workDir.FullName, Environment(azurite.ConnectionString));
        using var healthy = await host.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(1) };

        // Act: freeze the process for four seconds and probe it meanwhile.
        var pause = host.PauseAsync(TimeSpan.FromSeconds(4));
        await Task.Delay(500);
        var probe = await Record.ExceptionAsync(() => http.GetAsync(new Uri("/healthz", UriKind.Relative)));
        await pause;

        // Assert: no answer while stopped; the same process answers once continued.
        Assert.NotNull(probe);
        using var after = await host.WaitHealthyAsync(TimeSpan.FromSeconds(30));
        Assert.True(after.IsSuccessStatusCode);
        Assert.False(host.HasExited);
    }

    private static Dictionary<string, string> Environment(string storage) => new()
    {
        ["AzureWebJobsStorage"] = storage,
        ["Arcp__Auth__Tokens__tokA"] = "alice",
        ["Arcp__Storage__TablePrefix"] = "p" + Guid.NewGuid().ToString("N")[..10],
        ["Arcp__Durable__TaskHubName"] = "p" + Guid.NewGuid().ToString("N")[..10],
    };

    public void Dispose() => _workDir.Delete(recursive: true);
}

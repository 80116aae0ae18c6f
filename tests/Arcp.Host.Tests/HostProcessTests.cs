using System.Net;
using Arcp.Testing;

namespace Arcp.Host.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class HostProcessTests(AzuriteFixture azurite) : IDisposable
{
    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("arcp-host-");

    [Fact]
    public async Task Healthz_StorageFromEnvironmentAndUrlsArgument_Returns200AndLogsAddress()
    {
        // Arrange
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Arcp__Auth__Tokens__tokA"] = "alice",
        };

        // Act
        await using var host = HostProcess.Start(_workDir.FullName, environment);
        using var response = await host.WaitHealthyAsync(TimeSpan.FromSeconds(60));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(host.BaseAddress.ToString().TrimEnd('/'), host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("tokA", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_StorageFromLocalSettingsAndUrlsFromEnvironment_Returns200()
    {
        // Arrange: the settings file names the storage, the environment only the listen address.
        await File.WriteAllTextAsync(
            Path.Combine(_workDir.FullName, "local.settings.json"),
            $$"""{ "IsEncrypted": false, "Values": { "AzureWebJobsStorage": "{{azurite.ConnectionString}}", "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated" } }""");

        // Act
        await using var host = HostProcess.Start(_workDir.FullName, new Dictionary<string, string>(), urlsFromEnvironment: true);
        using var response = await host.WaitHealthyAsync(TimeSpan.FromSeconds(60));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_StorageUnreachable_Returns503()
    {
        // Arrange: nothing listens on this port.
        var deadPort = FreePorts.Next();
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = AzuriteInstance.BuildConnectionString(deadPort, deadPort, deadPort),
        };
        await using var host = HostProcess.Start(_workDir.FullName, environment);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        // Act
        var status = await PollStatusAsync(http);

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
    }

    private static async Task<HttpStatusCode> PollStatusAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                return response.StatusCode;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    public void Dispose() => _workDir.Delete(recursive: true);
}

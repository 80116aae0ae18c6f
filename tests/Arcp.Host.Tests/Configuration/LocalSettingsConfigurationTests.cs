using Arcp.Host.Configuration;
using Microsoft.Extensions.Configuration;

namespace Arcp.Host.Tests.Configuration;

public sealed class LocalSettingsConfigurationTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("arcp-settings-");

    [Fact]
    public void AddLocalSettings_EnvironmentAndFile_EnvironmentWins()
    {
        // Arrange
        var path = WriteSettings("""{ "IsEncrypted": false, "Values": { "AzureWebJobsStorage": "from-file", "Arcp__Auth__Tokens__tokA": "alice", "Arcp:Other": "x" } }""");
        var environment = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "from-env" };

        // Act
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment)
            .AddLocalSettingsAsLowestPrecedence(path)
            .Build();

        // Assert
        Assert.Equal("from-env", configuration["AzureWebJobsStorage"]);
        Assert.Equal("alice", configuration["Arcp:Auth:Tokens:tokA"]);
        Assert.Equal("x", configuration["Arcp:Other"]);
    }

    [Fact]
    public void FindSettingsFile_InParentFolder_ReturnsIt()
    {
        // Arrange
        var path = WriteSettings("""{ "Values": {} }""");
        var child = _dir.CreateSubdirectory("a").CreateSubdirectory("b");

        // Act
        var found = LocalSettingsConfigurationExtensions.FindSettingsFile(child.FullName);

        // Assert
        Assert.Equal(path, found);
    }

    [Fact]
    public void AddLocalSettings_MissingFile_AddsNothing()
    {
        var configuration = new ConfigurationBuilder()
            .AddLocalSettingsAsLowestPrecedence(Path.Combine(_dir.FullName, "absent.json"))
            .Build();

        Assert.Empty(configuration.AsEnumerable());
    }

    private string WriteSettings(string json)
    {
        var path = Path.Combine(_dir.FullName, LocalSettingsConfigurationExtensions.FileName);
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => _dir.Delete(recursive: true);
}

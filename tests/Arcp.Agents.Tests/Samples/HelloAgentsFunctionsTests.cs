using System.Text.Json;

namespace Arcp.Agents.Tests.Samples;

/// <summary>
/// A Functions app of the user's own, composed with <c>AddArcp</c> and referencing <c>Arcp.Functions</c>, gets every
/// runtime function in its generated metadata and is itself the worker Azure starts.
/// </summary>
public sealed class HelloAgentsFunctionsTests
{
    private static string OutputFile(string name)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return RepositoryPaths.Combine("samples", "HelloAgents.Functions", "bin", framework.Parent!.Name, framework.Name, name);
    }

    [Fact]
    public void Metadata_SampleFunctionsApp_ListsEveryRuntimeFunction()
    {
        // Arrange
        using var metadata = JsonDocument.Parse(File.ReadAllText(OutputFile("functions.metadata")));

        // Act
        var names = metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal);

        // Assert
        Assert.Equal(["FinishJob", "JobOrchestrator", "JobSweeper", "RevokeCredentials", "RunAgent", "WebPubSubSweeper", "healthz", "negotiate", "webpubsub"], names);
    }

    [Fact]
    public void WorkerConfig_SampleFunctionsApp_StartsTheSampleAssembly()
    {
        // Arrange
        using var config = JsonDocument.Parse(File.ReadAllText(OutputFile("worker.config.json")));

        // Act
        var worker = config.RootElement.GetProperty("description").GetProperty("defaultWorkerPath").GetString();

        // Assert
        Assert.Equal("HelloAgents.Functions.dll", worker);
        Assert.True(File.Exists(OutputFile("HelloAgents.dll")));
    }
}

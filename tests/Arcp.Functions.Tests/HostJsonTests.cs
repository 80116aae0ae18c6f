using System.Globalization;
using System.Text.Json;
using Arcp.Runtime.Jobs;

namespace Arcp.Functions.Tests;

/// <summary>
/// host.json never cuts a job short (the Flex Consumption plan runs invocations unbounded), and a crashed worker's job
/// is taken over as soon as Durable hands its activity out again: the owner lease ends before the work item reappears.
/// </summary>
public sealed class HostJsonTests
{
    [Fact]
    public void FunctionTimeout_Unbounded()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("src", "Arcp.Functions", "host.json")));

        Assert.Equal("-1", document.RootElement.GetProperty("functionTimeout").GetString());
    }

    [Fact]
    public void WorkItemVisibility_OutlastsTheDefaultOwnerLeaseBriefly()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("src", "Arcp.Functions", "host.json")));
        var storage = document.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("storageProvider");

        var visibility = TimeSpan.Parse(storage.GetProperty("workItemQueueVisibilityTimeout").GetString()!, CultureInfo.InvariantCulture);

        var lease = new JobRunnerOptions().OwnerLease;
        Assert.True(visibility > lease, $"visibility {visibility} must outlast the owner lease {lease}");
        Assert.True(visibility <= lease + TimeSpan.FromSeconds(15), $"visibility {visibility} delays takeover far beyond the owner lease {lease}");
    }
}

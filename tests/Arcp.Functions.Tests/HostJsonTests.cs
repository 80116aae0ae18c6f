using System.Text.Json;

namespace Arcp.Functions.Tests;

/// <summary>host.json never cuts a job short: the Flex Consumption plan runs invocations unbounded.</summary>
public sealed class HostJsonTests
{
    [Fact]
    public void FunctionTimeout_Unbounded()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("src", "Arcp.Functions", "host.json")));

        Assert.Equal("-1", document.RootElement.GetProperty("functionTimeout").GetString());
    }
}

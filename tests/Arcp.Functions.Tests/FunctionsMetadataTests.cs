using System.Text.Json;

namespace Arcp.Functions.Tests;

/// <summary>The isolated worker's generated <c>functions.metadata</c>: every function with the trigger, route and methods Azure will bind.</summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Lazy<JsonElement> s_metadata = new(() =>
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = RepositoryPaths.Combine("src", "Arcp.Functions", "bin", framework.Parent!.Name, framework.Name, "functions.metadata");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    });

    public static TheoryData<string, string, string?, string[]> Functions() => new()
    {
        { "healthz", "httpTrigger", "healthz", ["get"] },
        { "negotiate", "httpTrigger", "negotiate", ["get"] },
        { "webpubsub", "httpTrigger", "webpubsub", ["options", "post"] },
        { "JobOrchestrator", "orchestrationTrigger", null, [] },
        { "RunAgent", "activityTrigger", null, [] },
        { "FinishJob", "activityTrigger", null, [] },
        { "RevokeCredentials", "activityTrigger", null, [] },
        { "JobSweeper", "timerTrigger", null, [] },
        { "WebPubSubSweeper", "timerTrigger", null, [] },
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void Metadata_Function_HasTriggerRouteAndMethods(string name, string trigger, string? route, string[] methods)
    {
        var function = s_metadata.Value.EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);
        var binding = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == trigger);

        Assert.Equal("dotnet-isolated", function.GetProperty("language").GetString());
        Assert.Equal("Arcp.Functions.dll", function.GetProperty("scriptFile").GetString());
        if (route is not null)
        {
            Assert.Equal(route, binding.GetProperty("route").GetString());
            Assert.Equal("Anonymous", binding.GetProperty("authLevel").GetString());
            Assert.Equal(methods, binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).Order());
        }
    }

    /// <summary>Every function that can reach the job scheduler: submit, delegation, cancel, revocation, sweeps.</summary>
    [Theory]
    [InlineData("webpubsub")]
    [InlineData("RunAgent")]
    [InlineData("FinishJob")]
    [InlineData("RevokeCredentials")]
    [InlineData("JobSweeper")]
    [InlineData("WebPubSubSweeper")]
    public void Metadata_FunctionReachingTheScheduler_BindsADurableClient(string name)
    {
        var function = s_metadata.Value.EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);

        Assert.Contains(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "durableClient");
    }

    [Fact]
    public void Metadata_NoUnexpectedFunctions()
    {
        Assert.Equal(9, s_metadata.Value.GetArrayLength());
    }
}

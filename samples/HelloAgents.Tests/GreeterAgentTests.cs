using Arcp.Agents.Sdk.Testing;

namespace HelloAgents.Tests;

public sealed class GreeterAgentTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> s_lease = new()
    {
        ["tool.call"] = ["greeting.*"],
        ["cost.budget"] = ["USD:1.00"],
    };

    [Fact]
    public async Task Run_TwoNames_GreetsEachWithProgressAndCost()
    {
        // Arrange
        await using var host = AgentTestHost.For<GreeterAgent>();

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"names":["Ada","Linus"]}""", Lease = s_lease });

        // Assert
        Assert.Equal("success", run.Status);
        var greetings = run.Result!.Value.GetProperty("greetings").EnumerateArray().Select(g => g.GetString()!).ToList();
        Assert.StartsWith("Hello, Ada!", greetings[0], StringComparison.Ordinal);
        Assert.StartsWith("Hello, Linus!", greetings[1], StringComparison.Ordinal);
        Assert.Equal([1d, 2d], run.Bodies("progress").Select(p => p.GetProperty("current").GetDouble()));
        Assert.Equal(2, run.Bodies("metric").Count(m => m.GetProperty("name").GetString() == "cost.greeting"));
    }

    [Fact]
    public async Task Run_LeaseWithoutTheTool_PermissionDenied()
    {
        // Arrange
        await using var host = AgentTestHost.For<GreeterAgent>();

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"names":["Ada"]}""" });

        // Assert
        Assert.Equal("error", run.Status);
        Assert.Equal("PERMISSION_DENIED", run.ErrorCode);
    }

    [Fact]
    public async Task Run_CrashAfterTheFirstGreeting_SecondAttemptGreetsOnlyTheRest()
    {
        // Arrange
        await using var host = AgentTestHost.For<GreeterAgent>();

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"names":["Ada","Linus","Grace"]}""", Lease = s_lease, CrashAfterSteps = 1 });

        // Assert
        Assert.Equal("success", run.Status);
        Assert.Equal(2, run.Attempts);
        Assert.Equal(["greeted Ada", "greeted Linus", "greeted Grace"], run.Bodies("log").Select(l => l.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Run_BudgetForOneGreeting_SecondGreetingRefused()
    {
        // Arrange
        await using var host = AgentTestHost.For<GreeterAgent>();
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["tool.call"] = ["greeting.*"], ["cost.budget"] = ["USD:0.50"] };

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"names":["Ada","Linus"],"cost_per_greeting":0.5}""", Lease = lease });

        // Assert
        Assert.Equal("error", run.Status);
        Assert.Equal("BUDGET_EXHAUSTED", run.ErrorCode);
        Assert.Single(run.Bodies("log"));
    }

    [Fact]
    public async Task Run_CancelledAfterTheFirstGreeting_EndsCancelled()
    {
        // Arrange
        await using var host = AgentTestHost.For<GreeterAgent>();

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"names":["Ada","Linus","Grace"]}""", Lease = s_lease, CancelAfterSteps = 1 });

        // Assert
        Assert.Equal("cancelled", run.Status);
        Assert.Single(run.Bodies("log"));
    }
}

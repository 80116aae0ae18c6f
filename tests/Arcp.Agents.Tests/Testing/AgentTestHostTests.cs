using Arcp.Agents.Sdk.Testing;

namespace Arcp.Agents.Tests.Testing;

/// <summary>The agent test kit, exercised with the built-in agents: events and results, leases and budgets, crashes and cancels.</summary>
public sealed class AgentTestHostTests
{
    [Fact]
    public async Task RunAsync_Echo_ReturnsTheInputInline()
    {
        // Arrange
        await using var host = AgentTestHost.For<EchoAgent>();

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"hello":"world"}""" });

        // Assert
        Assert.Equal("success", run.Status);
        Assert.Equal("world", run.Result!.Value.GetProperty("hello").GetString());
        Assert.Equal(1, run.Attempts);
    }

    [Fact]
    public async Task RunAsync_CountdownCrashAfterTwoSteps_ReRunSkipsCompletedStepsAndEmitsEachProgressOnce()
    {
        // Arrange
        await using var host = AgentTestHost.For<CountdownAgent>();

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"steps":5,"interval_ms":0}""", CrashAfterSteps = 2 });

        // Assert
        Assert.Equal("success", run.Status);
        Assert.Equal(2, run.Attempts);
        Assert.Equal([1d, 2d, 3d, 4d, 5d], run.Bodies("progress").Select(p => p.GetProperty("current").GetDouble()));
    }

    [Fact]
    public async Task RunAsync_CountdownCancelledAfterOneStep_EndsCancelledWithTheFirstStepOnly()
    {
        // Arrange
        await using var host = AgentTestHost.For<CountdownAgent>();

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"steps":50,"interval_ms":20}""", CancelAfterSteps = 1 });

        // Assert
        Assert.Equal("cancelled", run.Status);
        Assert.Equal("CANCELLED", run.ErrorCode);
        Assert.Equal(1d, run.Bodies("progress")[0].GetProperty("current").GetDouble());
        Assert.True(run.Bodies("progress").Count < 50);
    }

    [Fact]
    public async Task RunAsync_ResearchWithBudget_RefusesCallsOnceTheBudgetIsSpent()
    {
        // Arrange
        await using var host = AgentTestHost.For<ResearchAgent>();
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["tool.call"] = ["search.*"], ["model.use"] = ["tier-fast/*"], ["cost.budget"] = ["USD:1.00"] };

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"tools":["search.web","search.news","search.docs"],"cost_per_call":0.5}""", Lease = lease });

        // Assert
        Assert.Equal("success", run.Status);
        var refused = run.Bodies("tool_result").Where(r => r.TryGetProperty("error", out _)).ToList();
        Assert.Equal("BUDGET_EXHAUSTED", Assert.Single(refused).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task RunAsync_ResearchModelOutsideTheLease_EndsPermissionDenied()
    {
        // Arrange
        await using var host = AgentTestHost.For<ResearchAgent>();
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["model.use"] = ["tier-fast/*"] };

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"model":"tier-max/large"}""", Lease = lease });

        // Assert
        Assert.Equal("error", run.Status);
        Assert.Equal("PERMISSION_DENIED", run.ErrorCode);
    }

    [Fact]
    public async Task RunAsync_ReportWithResultChunk_ReassemblesTheStreamedResult()
    {
        // Arrange
        await using var host = AgentTestHost.For<ReportAgent>();

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"size_kb":3}""" });

        // Assert
        Assert.Equal("success", run.Status);
        Assert.Null(run.Result);
        Assert.Equal(3 * 1024, run.StreamedResult!.Length);
    }
}

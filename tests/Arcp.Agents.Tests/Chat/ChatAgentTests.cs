using Arcp.Agents.Chat;
using Arcp.Agents.Sdk;
using Arcp.Agents.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Agents.Tests.Chat;

/// <summary>The <c>chat</c> agent against a local OpenAI-compatible endpoint: streaming, tools, budget, crash recovery.</summary>
public sealed class ChatAgentTests : IAsyncLifetime
{
    private const string Model = "fake-model-1";
    private FakeOpenAiServer _server = null!;

    private static readonly Dictionary<string, IReadOnlyList<string>> s_modelLease = new() { ["model.use"] = ["fake-model-*"] };

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private AgentTestHost Host(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Arcp:Agents:Chat:Endpoint"] = _server.Endpoint,
            ["Arcp:Agents:Chat:ApiKey"] = "sk-test-key",
            ["Arcp:Agents:Chat:Model"] = Model,
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return AgentTestHost.For(
            sp => sp.GetServices<AgentRegistration>().Single(r => r.Name == "chat").Factory(sp),
            services => services.AddArcpChatAgent(configuration));
    }

    private static Dictionary<string, IReadOnlyList<string>> Lease(params (string Namespace, string Pattern)[] extra)
    {
        var lease = new Dictionary<string, IReadOnlyList<string>>(s_modelLease);
        foreach (var group in extra.GroupBy(e => e.Namespace))
        {
            lease[group.Key] = group.Select(g => g.Pattern).ToList();
        }

        return lease;
    }

    [Fact]
    public async Task Run_PromptWithoutResultChunk_InlineTextAndUsageFromANonStreamingCall()
    {
        // Arrange
        _server.Reply(FakeReply.Answer(12, 3, "Hello there!"));
        await using var host = Host();

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"prompt":"Say hello"}""", Lease = Lease(), Features = ["progress"] });

        // Assert
        Assert.Equal("success", run.Status);
        Assert.Equal("Hello there!", run.Result!.Value.GetProperty("text").GetString());
        Assert.Equal(12, run.Result.Value.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(3, run.Result.Value.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        var request = Assert.Single(_server.Requests);
        Assert.Equal(Model, request["model"]!.GetValue<string>());
        Assert.NotEqual(true, request["stream"]?.GetValue<bool>());
        Assert.Equal("Say hello", request["messages"]![0]!["content"]!.ToString());
        Assert.Equal("Bearer sk-test-key", Assert.Single(_server.Authorizations));
        var metrics = run.Bodies("metric").ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDecimal());
        Assert.Equal(12m, metrics["cost.tokens.input"]);
        Assert.Equal(3m, metrics["cost.tokens.output"]);
        Assert.DoesNotContain("cost.inference", metrics.Keys);
    }

    [Fact]
    public async Task Run_MessagesWithResultChunk_StreamsTheAnswerAsResultChunksOfTheResultJson()
    {
        // Arrange
        _server.Reply(FakeReply.Answer(20, 4, "Stre", "amed \"ans", "wer\""));
        await using var host = Host();

        // Act
        var run = await host.RunAsync(new AgentRunOptions
        {
            InputJson = """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Stream please"}]}""",
            Lease = Lease(),
        });

        // Assert
        Assert.Equal("success", run.Status);
        Assert.Null(run.Result);
        Assert.True(Assert.Single(_server.Requests)["stream"]!.GetValue<bool>());
        Assert.Equal(5, run.Bodies("result_chunk").Count);
        using var result = System.Text.Json.JsonDocument.Parse(run.StreamedText!);
        Assert.Equal("Streamed \"answer\"", result.RootElement.GetProperty("text").GetString());
        Assert.Equal(20, result.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(4, result.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt64());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_ToolCallsInTheLease_ToolCallAndResultEventsAndTheResultSentBackToTheModel(bool streaming)
    {
        // Arrange
        _server.Reply(FakeReply.Calls(30, 8, new FakeToolCall("call_a", "word_count", """{"text":"one two three"}"""), new FakeToolCall("call_b", "clock")))
            .Reply(FakeReply.Answer(50, 6, "Three words."));
        await using var host = Host();

        // Act
        var run = await host.RunAsync(new AgentRunOptions
        {
            InputJson = """{"prompt":"Count and tell the time","tools":["word_count","clock"]}""",
            Lease = Lease(("tool.call", "word_count")),
            Features = streaming ? ["result_chunk"] : [],
        });

        // Assert
        Assert.Equal("success", run.Status);
        Assert.Equal(["word_count", "clock"], run.Bodies("tool_call").Select(c => c.GetProperty("tool").GetString()));
        var results = run.Bodies("tool_result");
        Assert.Equal(3, results[0].GetProperty("result").GetInt32());
        Assert.Equal("PERMISSION_DENIED", results[1].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(["clock", "word_count"], _server.Requests[0]["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).Order());
        var toolMessages = _server.Requests[1]["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").ToList();
        Assert.Equal(["call_a", "call_b"], toolMessages.Select(m => m!["tool_call_id"]!.GetValue<string>()));
        Assert.Contains("PERMISSION_DENIED", toolMessages[1]!["content"]!.ToString(), StringComparison.Ordinal);
        var text = streaming ? System.Text.Json.JsonDocument.Parse(run.StreamedText!).RootElement.GetProperty("text").GetString() : run.Result!.Value.GetProperty("text").GetString();
        Assert.Equal("Three words.", text);
    }

    [Fact]
    public async Task Run_ModelOutsideTheLease_PermissionDeniedWithoutCallingTheModel()
    {
        // Arrange
        await using var host = Host();

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"prompt":"hi"}""", Lease = new Dictionary<string, IReadOnlyList<string>> { ["model.use"] = ["other-*"] } });

        // Assert
        Assert.Equal("error", run.Status);
        Assert.Equal("PERMISSION_DENIED", run.ErrorCode);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Run_PricedTurnsDrainTheBudget_CostInferenceMetricsThenBudgetExhaustedBeforeTheNextTurn()
    {
        // Arrange: 1,000 input tokens cost 1.00 USD, 1,000 output tokens 2.00 USD; the first turn costs 0.50 + 0.60.
        _server.Reply(FakeReply.Calls(500, 300, new FakeToolCall("call_1", "clock")))
            .Reply(FakeReply.Answer(10, 10, "never sent"));
        await using var host = Host(("Arcp:Agents:Chat:InputPricePer1K", "1.00"), ("Arcp:Agents:Chat:OutputPricePer1K", "2.00"));

        // Act
        var run = await host.RunAsync(new AgentRunOptions
        {
            InputJson = """{"prompt":"What time is it?","tools":["clock"]}""",
            Lease = Lease(("tool.call", "clock"), ("cost.budget", "USD:1.00")),
        });

        // Assert
        Assert.Equal("error", run.Status);
        Assert.Equal("BUDGET_EXHAUSTED", run.ErrorCode);
        Assert.Single(_server.Requests);
        var inference = Assert.Single(run.Bodies("metric"), m => m.GetProperty("name").GetString() == "cost.inference");
        Assert.Equal(1.10m, inference.GetProperty("value").GetDecimal());
        Assert.Equal("USD", inference.GetProperty("unit").GetString());
        Assert.Contains(run.Bodies("metric"), m => m.GetProperty("name").GetString() == "cost.budget.remaining" && m.GetProperty("value").GetDecimal() == -0.10m);
    }

    [Fact]
    public async Task Run_TokenBudget_CapsTheAnswerLengthSentToTheModel()
    {
        // Arrange
        _server.Reply(FakeReply.Answer(5, 5, "ok"));
        await using var host = Host();

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"prompt":"12345678"}""", Lease = Lease(("cost.budget", "tokens:100")) });

        // Assert
        Assert.Equal("success", run.Status);
        var request = Assert.Single(_server.Requests);
        var maxTokens = (request["max_completion_tokens"] ?? request["max_tokens"])!.GetValue<int>();
        Assert.Equal(98, maxTokens);
    }

    [Fact]
    public async Task Run_CrashAfterTheFirstTurn_ReRunCallsTheModelOnlyForTheSecondTurnAndEmitsNothingTwice()
    {
        // Arrange
        _server.Reply(FakeReply.Calls(40, 7, new FakeToolCall("call_1", "clock")))
            .Reply(FakeReply.Answer(60, 9, "It is ", "now."));
        await using var host = Host();

        // Act
        var run = await host.RunAsync(new AgentRunOptions
        {
            InputJson = """{"prompt":"Time?","tools":["clock"]}""",
            Lease = Lease(("tool.call", "clock")),
            CrashAfterSteps = 1,
        });

        // Assert
        Assert.Equal("success", run.Status);
        Assert.Equal(2, run.Attempts);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Single(run.Bodies("tool_call"));
        Assert.Single(run.Bodies("tool_result"));
        Assert.Equal([40m, 60m], run.Bodies("metric").Where(m => m.GetProperty("name").GetString() == "cost.tokens.input").Select(m => m.GetProperty("value").GetDecimal()));
        using var result = System.Text.Json.JsonDocument.Parse(run.StreamedText!);
        Assert.Equal("It is now.", result.RootElement.GetProperty("text").GetString());
        Assert.Equal(100, result.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal("tool", _server.Requests[1]["messages"]!.AsArray()[^1]!["role"]!.GetValue<string>());
    }

    [Fact]
    public void AddArcpBuiltInAgents_ChatEndpointUnset_NoChatAgent()
    {
        // Arrange
        var without = new ServiceCollection().AddArcpBuiltInAgents(new ConfigurationBuilder().Build());
        var with = new ServiceCollection().AddArcpBuiltInAgents(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Arcp:Agents:Chat:Endpoint"] = _server.Endpoint }).Build());

        // Act
        var namesWithout = without.Where(d => d.ServiceType == typeof(AgentRegistration)).Select(d => ((AgentRegistration)d.ImplementationInstance!).Name);
        var namesWith = with.Where(d => d.ServiceType == typeof(AgentRegistration)).Select(d => ((AgentRegistration)d.ImplementationInstance!).Name);

        // Assert
        Assert.DoesNotContain("chat", namesWithout);
        Assert.Contains("chat", namesWith);
    }
}

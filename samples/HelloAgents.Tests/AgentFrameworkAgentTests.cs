using System.Runtime.CompilerServices;
using Arcp.Agents.Sdk.Testing;
using Microsoft.Extensions.AI;

namespace HelloAgents.Tests;

public sealed class AgentFrameworkAgentTests
{
    [Fact]
    public async Task Run_Prompt_AnswerAndTokenMetricsFromTheAgentFrameworkAgent()
    {
        // Arrange
        var chat = new ScriptedChatClient("Paris.", 11, 2);
        await using var host = AgentTestHost.For(_ => HelloAgentsServiceCollectionExtensions.CreateAssistant(chat, "demo-model"));
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["model.use"] = ["demo-*"] };

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"prompt":"Capital of France?"}""", Lease = lease });

        // Assert
        Assert.Equal("success", run.Status);
        Assert.Equal("Paris.", run.Result!.Value.GetProperty("text").GetString());
        Assert.Equal(11, run.Result.Value.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Contains(run.Bodies("metric"), m => m.GetProperty("name").GetString() == "cost.tokens.output" && m.GetProperty("value").GetDecimal() == 2m);
        Assert.Contains("Capital of France?", chat.Prompts.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ModelNotInTheLease_PermissionDeniedAndTheModelIsNotCalled()
    {
        // Arrange
        var chat = new ScriptedChatClient("unused", 1, 1);
        await using var host = AgentTestHost.For(_ => HelloAgentsServiceCollectionExtensions.CreateAssistant(chat, "demo-model"));

        // Act
        var run = await host.RunAsync(new AgentRunOptions { InputJson = """{"prompt":"hi"}""" });

        // Assert
        Assert.Equal("PERMISSION_DENIED", run.ErrorCode);
        Assert.Empty(chat.Prompts);
    }

    /// <summary>An in-process chat model: answers every call with the same text and usage, and records the prompts.</summary>
    private sealed class ScriptedChatClient(string answer, long inputTokens, long outputTokens) : IChatClient
    {
        public List<string> Prompts { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Prompts.Add(string.Join("\n", messages.Select(m => m.Text)));
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
            {
                Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens },
            });
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var response = await GetResponseAsync(messages, options, cancellationToken);
            foreach (var update in response.ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Arcp.Agents.Sdk;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Protocol.Leases;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Arcp.Agents.Chat;

/// <summary>
/// <c>chat</c> — runs a Microsoft.Extensions.AI <see cref="IChatClient"/> as an ARCP job. Input
/// <c>{"prompt": "…"}</c> or <c>{"messages": [{"role": "…", "content": "…"}]}</c>, optional <c>"tools": ["clock", …]</c>.
/// Each model turn is a durable step: it is checked against <c>model.use</c> and the budget, its token usage becomes
/// <c>cost.tokens.*</c> (and, when priced, <c>cost.inference</c>) metrics, and each tool call it asks for is a
/// <c>tool_call</c> / <c>tool_result</c> pair that passes <c>tool.call</c> authorization. A re-run after a crash
/// rebuilds the conversation from the stored turns and pays for no completed turn again. Result
/// <c>{"text": …, "usage": {"input_tokens": N, "output_tokens": M}}</c>, streamed as <c>result_chunk</c> events when
/// the submitter negotiated <c>result_chunk</c>.
/// </summary>
public sealed class ChatAgent(IChatClient chatClient, IOptions<ChatAgentOptions> options, TimeProvider timeProvider) : IAgent
{
    /// <summary>The key of the agent's <see cref="IChatClient"/> in the container.</summary>
    public const string ServiceKey = "arcp-chat";

    private const string TokensUnit = "tokens";
    private const int CharsPerTokenEstimate = 4;
    private readonly ChatAgentOptions _options = options.Value;

    /// <inheritdoc />
    public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var messages = ReadMessages(context.Input);
        var tools = ChatTools.Create(AgentInput.Texts(context.Input, "tools", []), timeProvider);
        var streaming = context.HasFeature("result_chunk");

        long inputTokens = 0, outputTokens = 0;
        for (var turn = 1; ; turn++)
        {
            if (turn > _options.MaxTurns)
            {
                throw new ArcpException(ErrorCode.InternalError, $"The model did not answer within {_options.MaxTurns} turns.");
            }

            var stored = await context.StepAsync($"turn-{turn.ToString(CultureInfo.InvariantCulture)}", ct => RunTurnAsync(context, messages, tools, streaming, ct)).ConfigureAwait(false);
            var record = stored.Deserialize(ChatJsonContext.Default.ChatTurn)!;
            inputTokens += record.InputTokens;
            outputTokens += record.OutputTokens;
            if (record.Calls.Count == 0)
            {
                var usage = new ChatUsage(inputTokens, outputTokens);
                if (!streaming)
                {
                    return JsonSerializer.SerializeToElement(new ChatResult(record.Text, usage), ChatJsonContext.Default.ChatResult);
                }

                await context.StreamTextResultAsync(ResultPieces(record.Deltas, usage, cancellationToken), $"{outputTokens} output tokens").ConfigureAwait(false);
                return null;
            }

            messages.Add(new ChatMessage(ChatRole.Assistant, [
                new TextContent(record.Text),
                .. record.Calls.Select(c => new FunctionCallContent(c.CallId, c.Name, ToArguments(c.Arguments))),
            ]));
            messages.Add(new ChatMessage(ChatRole.Tool, record.Calls.Select(c => (AIContent)new FunctionResultContent(c.CallId, c.Error is null ? c.Result : "error: " + c.Error)).ToList()));
        }
    }

    /// <summary>One model call and the tool calls it asks for; everything it emits is written with its step record.</summary>
    private async Task<JsonElement> RunTurnAsync(JobContext context, List<ChatMessage> messages, IReadOnlyList<AIFunction> tools, bool streaming, CancellationToken cancellationToken)
    {
        context.AuthorizeModel(_options.Model);
        var chatOptions = new ChatOptions
        {
            ModelId = _options.Model,
            MaxOutputTokens = AffordableOutputTokens(context, messages),
            Tools = tools.Count == 0 ? null : [.. tools],
        };

        ChatResponse response;
        var deltas = new List<string>();
        if (streaming)
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in chatClient.GetStreamingResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false))
            {
                updates.Add(update);
                if (!string.IsNullOrEmpty(update.Text))
                {
                    deltas.Add(update.Text);
                }
            }

            response = updates.ToChatResponse();
        }
        else
        {
            response = await chatClient.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);
            deltas.Add(response.Text);
        }

        var usedInput = response.Usage?.InputTokenCount ?? 0;
        var usedOutput = response.Usage?.OutputTokenCount ?? 0;
        await ReportUsageAsync(context, usedInput, usedOutput).ConfigureAwait(false);

        var calls = new List<ChatToolCall>();
        foreach (var call in response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
        {
            calls.Add(await CallToolAsync(context, call, tools, cancellationToken).ConfigureAwait(false));
        }

        return JsonSerializer.SerializeToElement(new ChatTurn(response.Text, deltas, calls, usedInput, usedOutput), ChatJsonContext.Default.ChatTurn);
    }

    /// <summary>
    /// Refuses a turn the budget cannot pay for: a counter at zero, or an input (estimated at four characters a token)
    /// that alone costs more than what remains; otherwise caps the answer at what remains after the input.
    /// </summary>
    private int AffordableOutputTokens(JobContext context, List<ChatMessage> messages)
    {
        var estimatedInput = (decimal)messages.Sum(m => m.Text.Length) / CharsPerTokenEstimate;
        decimal affordable = _options.MaxOutputTokens;
        foreach (var (unit, remaining) in context.Budget)
        {
            decimal inputCost, perToken;
            if (unit == TokensUnit)
            {
                (inputCost, perToken) = (estimatedInput, 1m);
            }
            else if (unit == _options.Currency && _options.IsPriced)
            {
                (inputCost, perToken) = (estimatedInput * _options.InputPricePer1K!.Value / 1000m, _options.OutputPricePer1K!.Value / 1000m);
            }
            else
            {
                continue;
            }

            if (remaining <= 0 || inputCost >= remaining)
            {
                throw new ArcpException(ErrorCode.BudgetExhausted, $"The {unit} budget cannot pay for another model turn ({remaining.ToString(CultureInfo.InvariantCulture)} left).");
            }

            if (perToken > 0)
            {
                affordable = Math.Min(affordable, Math.Floor((remaining - inputCost) / perToken));
            }
        }

        if (affordable < 1)
        {
            throw new ArcpException(ErrorCode.BudgetExhausted, "The budget cannot pay for a single output token.");
        }

        return (int)affordable;
    }

    private async Task ReportUsageAsync(JobContext context, long input, long output)
    {
        await context.EmitAsync(new MetricBody("cost.tokens.input", input, TokensUnit)).ConfigureAwait(false);
        await context.EmitAsync(new MetricBody("cost.tokens.output", output, TokensUnit)).ConfigureAwait(false);
        if (_options.IsPriced)
        {
            var cost = (input * _options.InputPricePer1K!.Value + output * _options.OutputPricePer1K!.Value) / 1000m;
            await context.ReportCostAsync(cost, _options.Currency).ConfigureAwait(false);
        }
    }

    private static async Task<ChatToolCall> CallToolAsync(JobContext context, FunctionCallContent call, IReadOnlyList<AIFunction> tools, CancellationToken cancellationToken)
    {
        var arguments = call.Arguments is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(call.Arguments, AIJsonUtilities.DefaultOptions);
        await context.EmitAsync(new ToolCallBody(call.Name, call.CallId, arguments)).ConfigureAwait(false);
        var tool = tools.FirstOrDefault(t => t.Name == call.Name);
        try
        {
            if (tool is null)
            {
                throw new ArcpException(ErrorCode.InvalidRequest, $"The job does not offer a tool named '{call.Name}'.");
            }

            context.Authorize(LeaseNamespaces.ToolCall, call.Name);
            var value = await tool.InvokeAsync(new AIFunctionArguments(call.Arguments), cancellationToken).ConfigureAwait(false);
            var result = JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions);
            await context.EmitAsync(new ToolResultBody(call.CallId, result)).ConfigureAwait(false);
            return new ChatToolCall(call.CallId, call.Name, arguments, result, null);
        }
        catch (ArcpException ex)
        {
            // A refused call is the model's problem to work around, not the end of the job.
            await context.EmitAsync(new ToolResultBody(call.CallId, Error: ToolError.From(ex.Error))).ConfigureAwait(false);
            return new ChatToolCall(call.CallId, call.Name, arguments, null, $"{ex.Error.Code.ToWireName()}: {ex.Error.Message}");
        }
    }

    /// <summary>The result JSON in pieces: its opening, the answer as the model streamed it, then the usage.</summary>
    private static async IAsyncEnumerable<string> ResultPieces(IReadOnlyList<string> deltas, ChatUsage usage, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return "{\"text\":\"";
        foreach (var delta in deltas)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return JsonEncodedText.Encode(delta).Value;
        }

        var usageJson = JsonSerializer.Serialize(usage, ChatJsonContext.Default.ChatUsage);
        yield return $"\",\"usage\":{usageJson}}}";
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static Dictionary<string, object?>? ToArguments(JsonElement? arguments) =>
        arguments is { ValueKind: JsonValueKind.Object } json
            ? json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
            : null;

    private static List<ChatMessage> ReadMessages(JsonElement input)
    {
        var prompt = AgentInput.Text(input, "prompt", "");
        if (input.ValueKind == JsonValueKind.Object && input.TryGetProperty("messages", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                throw new ArcpException(ErrorCode.InvalidRequest, "input.messages must be a non-empty array.");
            }

            var messages = list.EnumerateArray().Select(ReadMessage).ToList();
            if (prompt.Length > 0)
            {
                messages.Add(new ChatMessage(ChatRole.User, prompt));
            }

            return messages;
        }

        return prompt.Length > 0
            ? [new ChatMessage(ChatRole.User, prompt)]
            : throw new ArcpException(ErrorCode.InvalidRequest, "input.prompt or input.messages is required.");
    }

    private static ChatMessage ReadMessage(JsonElement message)
    {
        var role = AgentInput.Text(message, "role", "");
        var content = AgentInput.Text(message, "content", "");
        return role switch
        {
            "system" => new ChatMessage(ChatRole.System, content),
            "user" => new ChatMessage(ChatRole.User, content),
            "assistant" => new ChatMessage(ChatRole.Assistant, content),
            _ => throw new ArcpException(ErrorCode.InvalidRequest, "input.messages[].role must be system, user or assistant."),
        };
    }
}

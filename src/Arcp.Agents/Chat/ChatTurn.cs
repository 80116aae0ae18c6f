using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arcp.Agents.Chat;

/// <summary>
/// What one model turn produced, stored as the turn's durable step: a re-run rebuilds the conversation from these
/// records instead of calling the model again.
/// </summary>
/// <param name="Text">The assistant's text.</param>
/// <param name="Deltas">The text as the model streamed it (one entry when it was not streamed).</param>
/// <param name="Calls">The tool calls the model asked for, with their outcomes.</param>
/// <param name="InputTokens">Input tokens the endpoint reported.</param>
/// <param name="OutputTokens">Output tokens the endpoint reported.</param>
internal sealed record ChatTurn(string Text, IReadOnlyList<string> Deltas, IReadOnlyList<ChatToolCall> Calls, long InputTokens, long OutputTokens);

/// <summary>One tool call of a turn and its outcome: a result, or the error the model was told.</summary>
internal sealed record ChatToolCall(string CallId, string Name, JsonElement? Arguments, JsonElement? Result, string? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatTurn))]
[JsonSerializable(typeof(ChatResult))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;

/// <summary>The job's result: <c>{"text": …, "usage": {"input_tokens": N, "output_tokens": M}}</c>.</summary>
internal sealed record ChatResult(string Text, ChatUsage Usage);

/// <summary>Token usage over every turn of the job.</summary>
internal sealed record ChatUsage(long InputTokens, long OutputTokens);

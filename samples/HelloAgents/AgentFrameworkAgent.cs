using System.Text.Json;
using System.Text.Json.Nodes;
using Arcp.Agents.Sdk;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Microsoft.Agents.AI;

namespace HelloAgents;

/// <summary>
/// Hosts a Microsoft Agent Framework <see cref="AIAgent"/> as an ARCP agent — input <c>{"prompt": "…"}</c>: the run
/// is checked against the lease's <c>model.use</c>, runs as one durable step (a crash after it does not call the model
/// again), reports its token usage as <c>cost.tokens.*</c> metrics (a <c>tokens</c> budget in the lease counts them),
/// and returns <c>{"text": …, "usage": {"input_tokens": N, "output_tokens": M}}</c>.
/// </summary>
public sealed class AgentFrameworkAgent(AIAgent agent, string modelId) : IAgent
{
    /// <inheritdoc />
    public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prompt = context.Input.TryGetProperty("prompt", out var p) && p.ValueKind == JsonValueKind.String
            ? p.GetString()!
            : throw new ArcpException(ErrorCode.InvalidRequest, "input.prompt (a string) is required.");

        return await context.StepAsync("agent-run", async ct =>
        {
            context.AuthorizeModel(modelId);
            var response = await agent.RunAsync(prompt, cancellationToken: ct).ConfigureAwait(false);
            long input = response.Usage?.InputTokenCount ?? 0, output = response.Usage?.OutputTokenCount ?? 0;
            await context.EmitAsync(new MetricBody("cost.tokens.input", input, "tokens")).ConfigureAwait(false);
            await context.EmitAsync(new MetricBody("cost.tokens.output", output, "tokens")).ConfigureAwait(false);
            var result = new JsonObject
            {
                ["text"] = response.Text,
                ["usage"] = new JsonObject { ["input_tokens"] = input, ["output_tokens"] = output },
            };
            return JsonSerializer.SerializeToElement(result, HelloJsonContext.Default.JsonObject);
        }).ConfigureAwait(false);
    }
}

using System.Globalization;
using System.Text.Json;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Agents.Sdk;

namespace Arcp.Agents;

/// <summary>
/// <c>research</c> — input <c>{"query": q, "model": m, "tools": [names], "cost_per_call": c, "currency": "USD"}</c>:
/// checks <c>model.use</c> for its model (a denial ends the job with <c>PERMISSION_DENIED</c>), then calls each (fake)
/// tool through the lease: <c>tool_call</c>, authorization, <c>tool_result</c>, a cost report. A refused call
/// (outside the lease, budget exhausted) becomes an error <c>tool_result</c> and the agent carries on.
/// Result <c>{"answered": n, "refused": m, "model": m}</c>.
/// </summary>
public sealed class ResearchAgent : IAgent
{
    /// <inheritdoc />
    public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.Input;
        var model = AgentInput.Text(input, "model", "tier-fast/small");
        var tools = AgentInput.Texts(input, "tools", ["search.web"]);
        var cost = AgentInput.Decimal(input, "cost_per_call", 0.25m);
        var currency = AgentInput.Text(input, "currency", "USD");

        context.AuthorizeModel(model);
        int answered = 0, refused = 0;
        for (var i = 0; i < tools.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var callId = "call_" + i.ToString(CultureInfo.InvariantCulture);
            await context.EmitAsync(new ToolCallBody(tools[i], callId, JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["query"] = AgentInput.Text(input, "query", "") }, AgentJsonContext.Default.DictionaryStringString))).ConfigureAwait(false);
            try
            {
                context.Authorize("tool.call", tools[i]);
            }
            catch (ArcpException ex)
            {
                refused++;
                await context.EmitAsync(new ToolResultBody(callId, Error: ToolError.From(ex.Error))).ConfigureAwait(false);
                continue;
            }

            answered++;
            await context.EmitAsync(new ToolResultBody(callId, JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["answer"] = $"{tools[i]} found something" }, AgentJsonContext.Default.DictionaryStringString))).ConfigureAwait(false);
            await context.ReportCostAsync(cost, currency, "cost.tool").ConfigureAwait(false);
        }

        return JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["answered"] = answered, ["refused"] = refused, ["model"] = model }, AgentJsonContext.Default.DictionaryStringObject);
    }
}

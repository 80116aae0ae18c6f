using System.Text.Json;
using Arcp.Protocol.Errors;
using Arcp.Agents.Sdk;

namespace Arcp.Agents;

/// <summary>
/// <c>delegator</c> — input <c>{"children": N, "agent": "echo", "lease_request": {…}, "expires_at": "…"}</c>:
/// delegates N child jobs with the given (sub)lease; a refused delegation is logged and counted.
/// Result <c>{"children": [job ids], "refused": [codes]}</c>.
/// </summary>
public sealed class DelegatorAgent : IAgent
{
    /// <inheritdoc />
    public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.Input;
        var count = AgentInput.Integer(input, "children", 1, 0, 100);
        var agent = AgentInput.Text(input, "agent", "echo");
        var lease = input.ValueKind == JsonValueKind.Object && input.TryGetProperty("lease_request", out var l) && l.ValueKind == JsonValueKind.Object
            ? l.EnumerateObject().ToDictionary(p => p.Name, p => (IReadOnlyList<string>)p.Value.EnumerateArray().Select(v => v.GetString()!).ToList())
            : null;
        var expiresAt = input.ValueKind == JsonValueKind.Object && input.TryGetProperty("expires_at", out var e) ? e.GetString() : null;

        var children = new List<string>();
        var refused = new List<string>();
        for (var i = 0; i < count; i++)
        {
            try
            {
                var child = await context.DelegateAsync(agent, JsonSerializer.SerializeToElement(i), lease, expiresAt).ConfigureAwait(false);
                children.Add(child.JobId);
            }
            catch (ArcpException ex)
            {
                refused.Add(ErrorCodes.ToWireName(ex.Code));
                await context.LogAsync("warn", $"delegation refused: {ex.Error.Message}").ConfigureAwait(false);
            }
        }

        return JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["children"] = children, ["refused"] = refused }, AgentJsonContext.Default.DictionaryStringObject);
    }
}

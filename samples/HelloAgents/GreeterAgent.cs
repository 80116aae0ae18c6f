using System.Text.Json;
using System.Text.Json.Nodes;
using Arcp.Agents.Sdk;
using Arcp.Protocol.Errors;

namespace HelloAgents;

/// <summary>
/// <c>greeter</c> — input <c>{"names": ["Ada", "Linus"], "cost_per_greeting": 0.01}</c>: one durable step per name
/// (a crash resumes after the last greeting written), each checked against the lease (<c>tool.call</c> on
/// <c>greeting.compose</c>), reported as a cost, and shown as progress. Result <c>{"greetings": [...]}</c>.
/// </summary>
public sealed class GreeterAgent(TimeProvider timeProvider) : IAgent
{
    /// <inheritdoc />
    public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var names = context.Input.TryGetProperty("names", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(n => n.GetString() ?? throw new ArcpException(ErrorCode.InvalidRequest, "input.names must be strings.")).ToList()
            : throw new ArcpException(ErrorCode.InvalidRequest, "input.names (an array of strings) is required.");
        var cost = context.Input.TryGetProperty("cost_per_greeting", out var c) ? c.GetDecimal() : 0.01m;

        var greetings = new JsonArray();
        for (var i = 0; i < names.Count; i++)
        {
            // Cancel, timeout, lease expiry and shutdown all arrive through the token; stop between steps.
            cancellationToken.ThrowIfCancellationRequested();
            var name = names[i];
            var index = i;

            // A completed step is not run again after a crash: its stored result comes back, and its events are not re-sent.
            var greeting = await context.StepAsync($"greet-{index}", async ct =>
            {
                context.Authorize("tool.call", "greeting.compose");
                var text = $"Hello, {name}! ({timeProvider.GetUtcNow():HH:mm} UTC)";
                await context.LogAsync("info", $"greeted {name}").ConfigureAwait(false);
                await context.ReportCostAsync(cost, "USD", "cost.greeting").ConfigureAwait(false);
                await context.ProgressAsync(index + 1, names.Count, "greetings").ConfigureAwait(false);
                return JsonSerializer.SerializeToElement(text, HelloJsonContext.Default.String);
            }).ConfigureAwait(false);
            greetings.Add(greeting.GetString());
        }

        return JsonSerializer.SerializeToElement(new JsonObject { ["greetings"] = greetings }, HelloJsonContext.Default.JsonObject);
    }
}

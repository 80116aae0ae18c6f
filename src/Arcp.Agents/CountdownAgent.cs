using System.Text.Json;
using Arcp.Agents.Sdk;

namespace Arcp.Agents;

/// <summary>
/// <c>countdown</c> — input <c>{"steps": N, "interval_ms": M}</c>: one <c>progress {current: i, total: N}</c> per
/// step, each a durable step (a re-run after a crash resumes where it stopped), result <c>{"steps": N}</c>.
/// Cancellable within one interval.
/// </summary>
public sealed class CountdownAgent(TimeProvider timeProvider) : IAgent
{
    /// <inheritdoc />
    public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var steps = AgentInput.Integer(context.Input, "steps", 10, 0, 1_000_000);
        var interval = TimeSpan.FromMilliseconds(AgentInput.Integer(context.Input, "interval_ms", 100, 0, 3_600_000));
        for (var i = 1; i <= steps; i++)
        {
            var current = i;
            await context.StepAsync($"step-{i}", async ct =>
            {
                await Task.Delay(interval, timeProvider, ct).ConfigureAwait(false);
                await context.ProgressAsync(current, steps).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        return JsonSerializer.SerializeToElement(new Dictionary<string, long> { ["steps"] = steps }, AgentJsonContext.Default.DictionaryStringInt64);
    }
}

using System.Text.Json;
using Arcp.Agents.Sdk;

namespace Arcp.Agents;

/// <summary><c>burst</c> — input <c>{"n": N}</c>: N <c>progress</c> events as fast as the runtime takes them, result <c>{"emitted": N}</c>.</summary>
public sealed class BurstAgent : IAgent
{
    /// <inheritdoc />
    public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var n = AgentInput.Integer(context.Input, "n", 100, 0, 10_000_000);
        Task last = Task.CompletedTask;
        for (var i = 1; i <= n; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            last = context.ProgressAsync(i, n);
        }

        await last.ConfigureAwait(false);
        await context.FlushAsync().ConfigureAwait(false);
        return JsonSerializer.SerializeToElement(new Dictionary<string, long> { ["emitted"] = n }, AgentJsonContext.Default.DictionaryStringInt64);
    }
}

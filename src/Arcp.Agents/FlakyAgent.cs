using System.Diagnostics;
using System.Text.Json;
using Arcp.Agents.Sdk;

namespace Arcp.Agents;

/// <summary>
/// <c>flaky</c>: kills its own process on the first attempt (a crash, no shutdown), then on the redelivered attempt
/// returns <c>{"attempt": n}</c> — to exercise crash recovery end to end. Never run it in a process you want to keep.
/// </summary>
public sealed class FlakyAgent : IAgent
{
    /// <inheritdoc />
    public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.LogAsync("info", $"attempt {context.Attempt}").ConfigureAwait(false);
        await context.FlushAsync().ConfigureAwait(false);
        if (context.Attempt == 1)
        {
            Process.GetCurrentProcess().Kill();
        }

        return JsonSerializer.SerializeToElement(new Dictionary<string, long> { ["attempt"] = context.Attempt }, AgentJsonContext.Default.DictionaryStringInt64);
    }
}

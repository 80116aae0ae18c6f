using System.Text.Json;
using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Agents;

internal sealed partial class RuntimeJobContext
{
    /// <summary>
    /// Runs a durable step. Its events are held back and written together with the step's record, so after a crash
    /// the re-run either finds the step complete — it returns the stored result without running
    /// <paramref name="action"/> or emitting anything — or runs it again from scratch. Steps do not nest; names are
    /// unique within a job.
    /// </summary>
    public override async Task<JsonElement> StepAsync(string name, Func<CancellationToken, Task<JsonElement>> action)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(action);
        if (_completedSteps.TryGetValue(name, out var stored))
        {
            using var document = JsonDocument.Parse(stored);
            return document.RootElement.Clone();
        }

        if (_stepBuffer.Value is not null)
        {
            throw new InvalidOperationException("Durable steps do not nest.");
        }

        var buffer = new List<NewJobEvent>();
        _stepBuffer.Value = buffer;
        JsonElement result;
        try
        {
            result = await action(CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _stepBuffer.Value = null;
        }

        List<NewJobEvent> events;
        lock (buffer)
        {
            events = [.. buffer];
        }

        var resultJson = result.ValueKind == JsonValueKind.Undefined ? "null" : result.GetRawText();
        await _writer.EmitStepAsync(events, new CompletedStep(name, resultJson), new JobProgress(Budget: Budget)).ConfigureAwait(false);
        return result;
    }
}

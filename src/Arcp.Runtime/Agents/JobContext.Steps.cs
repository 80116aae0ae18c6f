using System.Text.Json;
using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Agents;

public sealed partial class JobContext
{
    private static readonly JsonElement s_null = JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>
    /// Runs a durable step. Its events are held back and written together with the step's record, so after a crash
    /// the re-run either finds the step complete — it returns the stored result without running
    /// <paramref name="action"/> or emitting anything — or runs it again from scratch. Steps do not nest; names are
    /// unique within a job.
    /// </summary>
    public async Task<JsonElement> StepAsync(string name, Func<CancellationToken, Task<JsonElement>> action)
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

    /// <summary>Runs a durable step that has no result.</summary>
    public Task StepAsync(string name, Func<CancellationToken, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return StepAsync(name, async ct =>
        {
            await action(ct).ConfigureAwait(false);
            return s_null;
        });
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Json;
using Arcp.Protocol.Messages;

namespace Arcp.Protocol.Events;

/// <summary>Converts between typed <see cref="EventBody"/> records and the <c>JsonElement</c> body of a <see cref="JobEvent"/>.</summary>
public static class EventBodies
{
    /// <summary>Serializes <paramref name="body"/> to its JSON object.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static JsonElement ToElement(EventBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return JsonSerializer.SerializeToElement(body, TypeInfoFor(body.GetKind()));
    }

    /// <summary>Builds the <c>job.event</c> payload for <paramref name="body"/> at time <paramref name="ts"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static JobEvent ToJobEvent(EventBody body, DateTimeOffset ts)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new JobEvent(body.GetKind(), ts, ToElement(body));
    }

    /// <summary>
    /// Reads the typed body of <paramref name="jobEvent"/>. Vendor and unknown kinds succeed with a null body (pass them
    /// through); a defined kind whose body does not fit its shape or rules fails with <c>INVALID_REQUEST</c>.
    /// </summary>
    public static bool TryRead(JobEvent jobEvent, out EventBody? body, [NotNullWhen(false)] out ProtocolError? error)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        body = null;
        error = null;
        if (!EventKinds.IsDefined(jobEvent.Kind))
        {
            return true;
        }

        try
        {
            body = (EventBody?)jobEvent.Body.Deserialize(TypeInfoFor(jobEvent.Kind));
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            error = ProtocolError.InvalidRequest($"Body of a '{jobEvent.Kind}' event does not match its shape.", "payload.body");
            return false;
        }

        error = body is null
            ? ProtocolError.InvalidRequest($"Body of a '{jobEvent.Kind}' event must be an object.", "payload.body")
            : body.Validate();
        if (error is not null)
        {
            body = null;
            return false;
        }

        return true;
    }

    private static JsonTypeInfo TypeInfoFor(string kind) => kind switch
    {
        EventKinds.Log => ArcpJsonContext.Default.LogBody,
        EventKinds.Thought => ArcpJsonContext.Default.ThoughtBody,
        EventKinds.ToolCall => ArcpJsonContext.Default.ToolCallBody,
        EventKinds.ToolResult => ArcpJsonContext.Default.ToolResultBody,
        EventKinds.Status => ArcpJsonContext.Default.StatusBody,
        EventKinds.Metric => ArcpJsonContext.Default.MetricBody,
        EventKinds.ArtifactRef => ArcpJsonContext.Default.ArtifactRefBody,
        EventKinds.Delegate => ArcpJsonContext.Default.DelegateBody,
        EventKinds.Progress => ArcpJsonContext.Default.ProgressBody,
        EventKinds.ResultChunk => ArcpJsonContext.Default.ResultChunkBody,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a defined event kind."),
    };
}

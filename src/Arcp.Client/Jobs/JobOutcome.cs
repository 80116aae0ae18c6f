using System.Text;
using System.Text.Json;
using Arcp.Protocol.Messages;

namespace Arcp.Client.Jobs;

/// <summary>How a job ended: its final status and either its result or its error.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Status">Final status.</param>
public sealed record JobOutcome(string JobId, JobStatus Status)
{
    /// <summary>Gets the inline result of a successful job.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>Gets the reassembled bytes of a streamed (<c>result_chunk</c>) result.</summary>
    public ReadOnlyMemory<byte>? StreamedResult { get; init; }

    /// <summary>Gets whether the streamed result was sent as UTF-8 text (otherwise base64 binary).</summary>
    public bool StreamedResultIsText { get; init; }

    /// <summary>Gets the id of a streamed result.</summary>
    public string? ResultId { get; init; }

    /// <summary>Gets the summary of a streamed result.</summary>
    public string? Summary { get; init; }

    /// <summary>Gets the terminal error of a failed, cancelled or timed-out job.</summary>
    public JobError? Error { get; init; }

    /// <summary>Returns the streamed result decoded as UTF-8 text; null when the result was not streamed.</summary>
    public string? GetStreamedText() => StreamedResult is { } bytes ? Encoding.UTF8.GetString(bytes.Span) : null;
}

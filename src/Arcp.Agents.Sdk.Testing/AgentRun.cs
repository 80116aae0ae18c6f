using System.Text;
using System.Text.Json;

namespace Arcp.Agents.Sdk.Testing;

/// <summary>What one job of the agent under test did.</summary>
/// <param name="JobId">The job id.</param>
/// <param name="Status">The final status: <c>success</c>, <c>error</c>, <c>cancelled</c> or <c>timed_out</c>.</param>
/// <param name="Result">The inline result of a <c>success</c> (null when the result was streamed).</param>
/// <param name="StreamedResult">The reassembled <c>result_chunk</c> stream, when the agent streamed its result.</param>
/// <param name="ErrorCode">The ARCP error code of a job that did not succeed.</param>
/// <param name="ErrorMessage">Its message.</param>
/// <param name="Events">Every <c>job.event</c> of the job, in order (across attempts, as a client sees them).</param>
/// <param name="Attempts">How many times the agent was run (2 after a simulated crash).</param>
public sealed record AgentRun(
    string JobId,
    string Status,
    JsonElement? Result,
    byte[]? StreamedResult,
    string? ErrorCode,
    string? ErrorMessage,
    IReadOnlyList<AgentEvent> Events,
    int Attempts)
{
    /// <summary>The streamed result as UTF-8 text.</summary>
    public string? StreamedText => StreamedResult is null ? null : Encoding.UTF8.GetString(StreamedResult);

    /// <summary>The bodies of the events of one kind, in order.</summary>
    public IReadOnlyList<JsonElement> Bodies(string kind) => Events.Where(e => e.Kind == kind).Select(e => e.Body).ToList();
}

/// <summary>One <c>job.event</c>: its kind (<c>log</c>, <c>progress</c>, <c>metric</c>, ...) and body.</summary>
public sealed record AgentEvent(string Kind, JsonElement Body);

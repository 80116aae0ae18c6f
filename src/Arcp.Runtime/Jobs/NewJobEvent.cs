namespace Arcp.Runtime.Jobs;

/// <summary>An event to append to a job: the envelope type, its payload JSON and the envelope id and time it will always carry.</summary>
/// <param name="Type"><c>job.event</c>, or the terminal <c>job.result</c> / <c>job.error</c>.</param>
/// <param name="PayloadJson">The envelope payload as JSON text (for <c>job.event</c>: <c>{kind, ts, body}</c>).</param>
/// <param name="Timestamp">The envelope timestamp.</param>
/// <param name="MessageId">The envelope id (<c>msg_</c> + ULID) the submitting session sees on every replay.</param>
public sealed record NewJobEvent(string Type, string PayloadJson, DateTimeOffset Timestamp, string MessageId);

namespace Arcp.Runtime.Idempotency;

/// <summary>What an idempotency key decided: the job it created and the exact acceptance it answered with.</summary>
/// <param name="Principal">Key scope: keys of different principals never collide.</param>
/// <param name="Key">The client's idempotency key.</param>
/// <param name="ParametersHash">Hash of the canonical submission parameters.</param>
/// <param name="JobId">The job the first submission created.</param>
/// <param name="AcceptedPayloadJson">The original <c>job.accepted</c> payload, replayed verbatim.</param>
/// <param name="CreatedAt">When the key was first used.</param>
public sealed record IdempotencyRecord(string Principal, string Key, string ParametersHash, string JobId, string AcceptedPayloadJson, DateTimeOffset CreatedAt);

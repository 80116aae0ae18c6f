using System.Text.Json.Serialization;
using Arcp.Protocol.Events;
using Arcp.Protocol.Messages;

namespace Arcp.Protocol.Json;

/// <summary>Source-generated JSON metadata for every ARCP wire type: snake_case names, nulls omitted, nullable annotations and required constructor parameters enforced on read.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    MaxDepth = ArcpJson.DefaultMaxDepth,
    Converters = [typeof(UtcTimestampJsonConverter)])]
[JsonSerializable(typeof(SessionHello))]
[JsonSerializable(typeof(SessionWelcome))]
[JsonSerializable(typeof(SessionResume))]
[JsonSerializable(typeof(SessionPing))]
[JsonSerializable(typeof(SessionPong))]
[JsonSerializable(typeof(SessionAck))]
[JsonSerializable(typeof(SessionListJobs))]
[JsonSerializable(typeof(SessionJobs))]
[JsonSerializable(typeof(SessionClose))]
[JsonSerializable(typeof(SessionBye))]
[JsonSerializable(typeof(SessionClosed))]
[JsonSerializable(typeof(SessionError))]
[JsonSerializable(typeof(JobSubmit))]
[JsonSerializable(typeof(JobAccepted))]
[JsonSerializable(typeof(JobEvent))]
[JsonSerializable(typeof(JobResult))]
[JsonSerializable(typeof(JobError))]
[JsonSerializable(typeof(JobCancel))]
[JsonSerializable(typeof(JobCancelled))]
[JsonSerializable(typeof(JobSubscribe))]
[JsonSerializable(typeof(JobSubscribed))]
[JsonSerializable(typeof(JobUnsubscribe))]
[JsonSerializable(typeof(LogBody))]
[JsonSerializable(typeof(ThoughtBody))]
[JsonSerializable(typeof(ToolCallBody))]
[JsonSerializable(typeof(ToolResultBody))]
[JsonSerializable(typeof(StatusBody))]
[JsonSerializable(typeof(MetricBody))]
[JsonSerializable(typeof(ArtifactRefBody))]
[JsonSerializable(typeof(DelegateBody))]
[JsonSerializable(typeof(ProgressBody))]
[JsonSerializable(typeof(ResultChunkBody))]
[JsonSerializable(typeof(Credential))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, IReadOnlyList<string>>))]
public sealed partial class ArcpJsonContext : JsonSerializerContext;

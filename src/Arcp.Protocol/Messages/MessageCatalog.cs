using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Arcp.Protocol.Json;

namespace Arcp.Protocol.Messages;

/// <summary>Maps envelope types to payload CLR types and their JSON metadata.</summary>
internal static class MessageCatalog
{
    private static readonly Dictionary<string, JsonTypeInfo> _byName;
    private static readonly Dictionary<Type, string> _byType;

    static MessageCatalog()
    {
        var context = ArcpJsonContext.Default;
        (string Name, JsonTypeInfo Info)[] entries =
        [
            (MessageTypes.SessionHello, context.SessionHello),
            (MessageTypes.SessionWelcome, context.SessionWelcome),
            (MessageTypes.SessionResume, context.SessionResume),
            (MessageTypes.SessionPing, context.SessionPing),
            (MessageTypes.SessionPong, context.SessionPong),
            (MessageTypes.SessionAck, context.SessionAck),
            (MessageTypes.SessionListJobs, context.SessionListJobs),
            (MessageTypes.SessionJobs, context.SessionJobs),
            (MessageTypes.SessionClose, context.SessionClose),
            (MessageTypes.SessionBye, context.SessionBye),
            (MessageTypes.SessionClosed, context.SessionClosed),
            (MessageTypes.SessionError, context.SessionError),
            (MessageTypes.JobSubmit, context.JobSubmit),
            (MessageTypes.JobAccepted, context.JobAccepted),
            (MessageTypes.JobEvent, context.JobEvent),
            (MessageTypes.JobResult, context.JobResult),
            (MessageTypes.JobError, context.JobError),
            (MessageTypes.JobCancel, context.JobCancel),
            (MessageTypes.JobCancelled, context.JobCancelled),
            (MessageTypes.JobSubscribe, context.JobSubscribe),
            (MessageTypes.JobSubscribed, context.JobSubscribed),
            (MessageTypes.JobUnsubscribe, context.JobUnsubscribe),
        ];
        _byName = entries.ToDictionary(e => e.Name, e => e.Info, StringComparer.Ordinal);
        _byType = entries.ToDictionary(e => e.Info.Type, e => e.Name);
    }

    public static IReadOnlyCollection<string> Names => _byName.Keys;

    public static bool TryGetTypeInfo(string type, [NotNullWhen(true)] out JsonTypeInfo? typeInfo) => _byName.TryGetValue(type, out typeInfo);

    public static bool TryGetName(Type payloadType, [NotNullWhen(true)] out string? name) => _byType.TryGetValue(payloadType, out name);

    public static JsonTypeInfo GetTypeInfo(Type payloadType) =>
        _byType.TryGetValue(payloadType, out var name) ? _byName[name] : throw new ArgumentException($"{payloadType.Name} is not an ARCP payload type.", nameof(payloadType));
}

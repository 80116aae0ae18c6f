using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>session.hello</c> (in): opens or resumes a session. Accepts the <c>client</c> object and the flat <c>client_name</c>/<c>client_version</c> form, and every resume form.</summary>
/// <param name="Client">Client identity object.</param>
/// <param name="ClientName">Flat client name (alternate dialect).</param>
/// <param name="ClientVersion">Flat client version (alternate dialect).</param>
/// <param name="Auth">Authentication.</param>
/// <param name="Capabilities">Requested encodings and features.</param>
/// <param name="Resume">Resume object (either dialect).</param>
/// <param name="ResumeToken">Flat resume token.</param>
/// <param name="LastEventSeq">Flat last processed event sequence.</param>
public sealed record SessionHello(
    ClientInfo? Client = null,
    string? ClientName = null,
    string? ClientVersion = null,
    AuthInfo? Auth = null,
    HelloCapabilities? Capabilities = null,
    ResumeRequest? Resume = null,
    string? ResumeToken = null,
    long? LastEventSeq = null) : ArcpPayload
{
    /// <summary>Returns the client name from <c>client.name</c> or <c>client_name</c>.</summary>
    public string? GetClientName() => Client?.Name ?? ClientName;

    /// <summary>Returns the client version from <c>client.version</c> or <c>client_version</c>.</summary>
    public string? GetClientVersion() => Client?.Version ?? ClientVersion;

    /// <summary>Returns the resume token from <c>resume.resume_token</c>, <c>resume.token</c> or flat <c>resume_token</c>; null when not resuming.</summary>
    public string? GetResumeToken() => Resume?.ResumeToken ?? Resume?.Token ?? ResumeToken;

    /// <summary>Returns <c>last_event_seq</c> from the resume object or the flat field.</summary>
    public long? GetLastEventSeq() => Resume?.LastEventSeq ?? LastEventSeq;

    /// <summary>Returns the requested features (empty when absent).</summary>
    public IReadOnlyList<string> GetFeatures() => Capabilities?.Features ?? [];

    internal override ProtocolError? Validate() => PayloadChecks.First(
        PayloadChecks.AtLeast(LastEventSeq, 0, "last_event_seq"),
        PayloadChecks.AtLeast(Resume?.LastEventSeq, 0, "resume.last_event_seq"),
        PayloadChecks.NoEmptyItems(Capabilities?.Features, "capabilities.features"),
        PayloadChecks.NoEmptyItems(Capabilities?.Encodings, "capabilities.encodings"));

    /// <summary>Returns a log-safe description without tokens.</summary>
    public override string ToString() =>
        $"SessionHello {{ Client = {GetClientName()}/{GetClientVersion()}, Auth = {Auth}, Resume = {Resume}, LastEventSeq = {LastEventSeq} }}";
}

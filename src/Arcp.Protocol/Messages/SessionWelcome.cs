using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>session.welcome</c> (out): accepts a hello or resume. Flat <c>runtime_name</c>/<c>runtime_version</c> copies are always written.</summary>
/// <param name="Runtime">Runtime identity.</param>
/// <param name="ResumeToken">Fresh resume token.</param>
/// <param name="ResumeWindowSec">Resume window in seconds (positive).</param>
/// <param name="Capabilities">Encodings, effective features and agent inventory.</param>
/// <param name="HeartbeatIntervalSec">Heartbeat interval; only when <c>heartbeat</c> is negotiated.</param>
public sealed record SessionWelcome(
    RuntimeInfo Runtime,
    string ResumeToken,
    int ResumeWindowSec,
    WelcomeCapabilities Capabilities,
    int? HeartbeatIntervalSec = null) : ArcpPayload
{
    /// <summary>Gets the flat copy of <c>runtime.name</c>.</summary>
    public string RuntimeName => Runtime.Name;

    /// <summary>Gets the flat copy of <c>runtime.version</c>.</summary>
    public string RuntimeVersion => Runtime.Version;

    internal override ProtocolError? Validate() => PayloadChecks.First(
        PayloadChecks.NonEmpty(Runtime.Name, "runtime.name"),
        PayloadChecks.NonEmpty(Runtime.Version, "runtime.version"),
        PayloadChecks.NonEmpty(ResumeToken, "resume_token"),
        PayloadChecks.AtLeast(ResumeWindowSec, 1, "resume_window_sec"),
        PayloadChecks.AtLeast(HeartbeatIntervalSec, 1, "heartbeat_interval_sec"));

    /// <summary>Returns a log-safe description without the resume token.</summary>
    public override string ToString() => $"SessionWelcome {{ Runtime = {Runtime}, ResumeWindowSec = {ResumeWindowSec}, HeartbeatIntervalSec = {HeartbeatIntervalSec} }}";
}

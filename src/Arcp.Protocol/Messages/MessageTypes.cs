namespace Arcp.Protocol.Messages;

/// <summary>The envelope <c>type</c> values.</summary>
public static class MessageTypes
{
    /// <summary><c>session.hello</c>.</summary>
    public const string SessionHello = "session.hello";

    /// <summary><c>session.welcome</c>.</summary>
    public const string SessionWelcome = "session.welcome";

    /// <summary><c>session.resume</c>.</summary>
    public const string SessionResume = "session.resume";

    /// <summary><c>session.ping</c>.</summary>
    public const string SessionPing = "session.ping";

    /// <summary><c>session.pong</c>.</summary>
    public const string SessionPong = "session.pong";

    /// <summary><c>session.ack</c>.</summary>
    public const string SessionAck = "session.ack";

    /// <summary><c>session.list_jobs</c>.</summary>
    public const string SessionListJobs = "session.list_jobs";

    /// <summary><c>session.jobs</c>.</summary>
    public const string SessionJobs = "session.jobs";

    /// <summary><c>session.close</c>.</summary>
    public const string SessionClose = "session.close";

    /// <summary><c>session.bye</c>.</summary>
    public const string SessionBye = "session.bye";

    /// <summary><c>session.closed</c>.</summary>
    public const string SessionClosed = "session.closed";

    /// <summary><c>session.error</c>.</summary>
    public const string SessionError = "session.error";

    /// <summary><c>job.submit</c>.</summary>
    public const string JobSubmit = "job.submit";

    /// <summary><c>job.accepted</c>.</summary>
    public const string JobAccepted = "job.accepted";

    /// <summary><c>job.event</c>.</summary>
    public const string JobEvent = "job.event";

    /// <summary><c>job.result</c>.</summary>
    public const string JobResult = "job.result";

    /// <summary><c>job.error</c>.</summary>
    public const string JobError = "job.error";

    /// <summary><c>job.cancel</c>.</summary>
    public const string JobCancel = "job.cancel";

    /// <summary><c>job.cancelled</c>.</summary>
    public const string JobCancelled = "job.cancelled";

    /// <summary><c>job.subscribe</c>.</summary>
    public const string JobSubscribe = "job.subscribe";

    /// <summary><c>job.subscribed</c>.</summary>
    public const string JobSubscribed = "job.subscribed";

    /// <summary><c>job.unsubscribe</c>.</summary>
    public const string JobUnsubscribe = "job.unsubscribe";

    /// <summary>Prefix of vendor message types, which are dropped silently when unknown.</summary>
    public const string VendorPrefix = "x-vendor.";
}

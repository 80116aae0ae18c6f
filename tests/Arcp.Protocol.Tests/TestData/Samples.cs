using System.Text.Json;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;

namespace Arcp.Protocol.Tests.TestData;

/// <summary>One representative payload per message type, every optional field populated where sensible.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Time = new(2026, 5, 13, 10, 0, 1, 250, TimeSpan.Zero);

    public const string TraceId = "5f0c2a9e8d7b6a5f4e3d2c1b0a998877";

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Lease() => new Dictionary<string, IReadOnlyList<string>>
    {
        ["tool.call"] = ["search.*"],
        ["cost.budget"] = ["USD:2.50"],
    };

    public static IEnumerable<ArcpPayload> All()
    {
        yield return new SessionHello(
            Client: new ClientInfo("examplectl", "0.4.1", "fp-1", "alice"),
            Auth: new AuthInfo("bearer", "tok"),
            Capabilities: new HelloCapabilities(["json"], ["heartbeat", "ack"]),
            Resume: new ResumeRequest("sess_1", "rt_abc", LastEventSeq: 7));
        yield return new SessionHello(ClientName: "rubyctl", ClientVersion: "1.0", Resume: new ResumeRequest(Token: "rt_x", LastEventSeq: 0), ResumeToken: "rt_flat", LastEventSeq: 3);
        yield return new SessionWelcome(
            new RuntimeInfo("acme-rt", "0.1.0"),
            "rt_9c1e",
            600,
            new WelcomeCapabilities(["json"], ["heartbeat"], [new AgentInfo("summarize", ["1.0.0", "1.1.0"], "1.1.0"), new AgentInfo("echo", [])]),
            30);
        yield return new SessionResume("rt_abc", 12, "sess_1");
        yield return new SessionPing("p_01", Time);
        yield return new SessionPong("p_01", Time);
        yield return new SessionAck(1827);
        yield return new SessionListJobs(new ListJobsFilter([JobStatus.Running, JobStatus.TimedOut], "code-refactor", Time, Time.AddDays(1)), 100, "cursor-1");
        yield return new SessionJobs(
            "msg_req",
            [new JobListEntry("job_1", "code-refactor@2.0.0", JobStatus.Running, Lease(), Time, 1822, "job_0", TraceId)],
            "next");
        yield return new SessionJobs("msg_req", [], null);
        yield return new SessionClose("done");
        yield return new SessionBye("bye");
        yield return new SessionClosed("done");
        yield return new SessionError(ErrorCode.DuplicateKey, "Duplicate key.", false, JsonHelpers.Element("""{"existing_job_id":"job_1"}"""), "dup", "msg_submit");
        yield return new JobSubmit(
            "summarize@1.1.0",
            JsonHelpers.Element("""{"text":"hi","n":[1,2.5,true,null]}"""),
            Lease(),
            new LeaseConstraints("2026-05-13T12:00:00Z"),
            "key-1",
            1800,
            "job_parent");
        yield return new JobAccepted(
            "job_1",
            "summarize@1.1.0",
            Lease(),
            Time,
            new LeaseConstraints("2026-05-13T12:00:00Z"),
            new Dictionary<string, decimal> { ["USD"] = 2.5m },
            [new Credential("cred_1", "bearer", "sk-virt", "https://gateway.example.com/v1", "openai", new CredentialConstraints(["USD:5.00"], ["tier-fast/*"], "2026-05-13T12:00:00Z"))],
            TraceId,
            "job_0",
            "del_1",
            "msg_submit");
        yield return new JobEvent("log", Time, JsonHelpers.Element("""{"level":"info","message":"hi"}"""));
        yield return JobResult.Inline("job_1", JsonHelpers.Element("""{"answer":42}"""));
        yield return JobResult.Streamed("job_1", "res_1", 31_457_280, "137 chunks");
        yield return new JobError(JobStatus.Cancelled, ErrorCode.Cancelled, "Cancelled by client.", false, "job_1", JsonHelpers.Element("""{"reason":"user"}"""), "cancelled");
        yield return new JobCancel("job_1", "user");
        yield return new JobCancelled("job_1", "user");
        yield return new JobSubscribe("job_1", 0, true);
        yield return new JobSubscribed("job_1", "code-refactor@2.0.0", JobStatus.Running, Lease(), 1830, false, new LeaseConstraints("2026-05-13T12:00:00Z"), new Dictionary<string, decimal> { ["USD"] = 3.58m }, "job_0", TraceId, null, "msg_sub");
        yield return new JobUnsubscribe("job_1");
    }

    /// <summary>Valid frames as UTF-8 text, used as seeds for mutation tests.</summary>
    public static IReadOnlyList<byte[]> Frames()
    {
        var factory = new EnvelopeFactory(TimeProvider.System);
        var frames = new List<byte[]>();
        long seq = 1;
        foreach (var payload in All())
        {
            var message = factory.Create("sess_1", payload, jobId: "job_1", eventSeq: seq++, traceId: TraceId);
            frames.Add(message.ToUtf8Bytes());
        }

        return frames;
    }
}

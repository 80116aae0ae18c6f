namespace Arcp.Protocol.Ids;

/// <summary>Prefixes of the identifiers the runtime mints.</summary>
public static class IdPrefixes
{
    /// <summary>Envelope id prefix.</summary>
    public const string Message = "msg_";

    /// <summary>Session id prefix.</summary>
    public const string Session = "sess_";

    /// <summary>Job id prefix.</summary>
    public const string Job = "job_";

    /// <summary>Streamed result id prefix.</summary>
    public const string Result = "res_";

    /// <summary>Provisioned credential id prefix.</summary>
    public const string Credential = "cred_";

    /// <summary>Artifact id prefix.</summary>
    public const string Artifact = "art_";

    /// <summary>Ping nonce prefix.</summary>
    public const string PingNonce = "p_";

    /// <summary>Resume token prefix.</summary>
    public const string ResumeToken = "rt_";
}

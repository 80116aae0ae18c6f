namespace Arcp.Testing.Faults;

/// <summary>The fault chosen for one request; <see cref="Delay"/> is non-zero only for <see cref="FaultKind.Latency"/>.</summary>
public readonly record struct FaultDecision(FaultKind Kind, TimeSpan Delay)
{
    public static FaultDecision None { get; } = new(FaultKind.None, TimeSpan.Zero);

    /// <summary>Whether the request is answered by the fault layer without reaching storage.</summary>
    public bool AnswersInstead => Kind is FaultKind.ServerBusy or FaultKind.OperationTimedOut or FaultKind.Outage;

    /// <summary>The HTTP status of an answer given instead of storage.</summary>
    public int Status => Kind == FaultKind.OperationTimedOut ? 500 : 503;

    /// <summary>The storage error code of an answer given instead of storage.</summary>
    public string ErrorCode => Kind == FaultKind.OperationTimedOut ? "OperationTimedOut" : "ServerBusy";

    /// <summary>
    /// The service's error body: the Table service's JSON, or the Blob and Queue services' XML. The JSON also carries
    /// the generic <c>error</c> shape: an answer made up inside a client pipeline never reaches the transport that
    /// would attach the Table service's own error parser.
    /// </summary>
    public string ErrorBody(bool json)
    {
        var message = Status == 503 ? "The server is busy." : "The operation could not be completed within the permitted time.";
        return json
            ? $$$$"""{"odata.error":{"code":"{{{{ErrorCode}}}}","message":{"lang":"en-US","value":"{{{{message}}}}"}},"error":{"code":"{{{{ErrorCode}}}}","message":"{{{{message}}}}"}}"""
            : $"""<?xml version="1.0" encoding="utf-8"?><Error><Code>{ErrorCode}</Code><Message>{message}</Message></Error>""";
    }

    /// <summary>The content type of <see cref="ErrorBody"/>.</summary>
    public static string ErrorContentType(bool json) => json ? "application/json;odata=minimalmetadata;streaming=true;charset=utf-8" : "application/xml";
}

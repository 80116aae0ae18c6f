namespace Arcp.Benchmarks.WebPubSub;

/// <summary>
/// One delivery path measured once: <see cref="Path"/> names it (direct WebSocket, or Web PubSub at a REST latency).
/// Latencies in milliseconds; storage requests per <c>echo</c> job are ours and Durable's, counted at the proxy
/// while the 8-in-flight run ran (Durable's include its polling over that wall time); <see cref="OperationsPerEchoJob"/> splits ours by operation.
/// </summary>
internal sealed record PathMeasurement(
    string Path,
    double SubmitToAcceptedP50,
    double SubmitToAcceptedP95,
    double EchoJobsPerSecond,
    double BurstEventsPerSecond,
    int BurstEvents,
    double OurRequestsPerEchoJob,
    double DurableRequestsPerEchoJob,
    double RestCallsPerEchoJob)
{
    /// <summary>Our storage requests per <c>echo</c> job by operation (the classifier's key).</summary>
    public IReadOnlyDictionary<string, double> OperationsPerEchoJob { get; init; } = new Dictionary<string, double>();
}

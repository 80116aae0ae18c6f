using Arcp.Azure.Storage;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Arcp.Testing.Faults;

/// <summary>
/// Applies a <see cref="FaultSchedule"/> to every attempt of a storage client (add it per retry, so the client's own
/// retries pass through it again): 503/500 answers instead of storage, replies lost after the request was forwarded
/// and committed (the client sees a dropped connection and retries a request that already took effect), added latency
/// and outage windows.
/// </summary>
public sealed class FaultInjectionPolicy(FaultSchedule schedule) : HttpPipelinePolicy
{
    public FaultSchedule Schedule { get; } = schedule ?? throw new ArgumentNullException(nameof(schedule));

    /// <summary>Which requests the schedule applies to (all when null); the others pass untouched and are not counted.</summary>
    public Func<Request, bool>? AppliesTo { get; init; }

    /// <summary>This policy wrapped for the runtime's DI seam (per retry).</summary>
    public StorageClientPolicy ForRuntime() => new(this, HttpPipelinePosition.PerRetry);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: false).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: true);

    private async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
    {
        var decision = AppliesTo is null || AppliesTo(message.Request) ? Schedule.Next() : FaultDecision.None;
        if (decision.AnswersInstead)
        {
            var json = message.Request.Headers.TryGetValue("Accept", out var accept) && accept.Contains("json", StringComparison.OrdinalIgnoreCase);
            message.Response = new InjectedResponse(decision, json);
            return;
        }

        if (decision.Kind == FaultKind.Latency)
        {
            if (async)
            {
                await Task.Delay(decision.Delay, message.CancellationToken).ConfigureAwait(false);
            }
            else
            {
                Thread.Sleep(decision.Delay);
            }
        }

        if (async)
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        else
        {
            ProcessNext(message, pipeline);
        }

        if (decision.Kind == FaultKind.ReplyLost)
        {
            message.Response.Dispose();
            // What the HTTP transport throws when the connection drops before the reply is read.
            throw new RequestFailedException(
                "The connection was closed before the response was received (injected: the request was forwarded).",
                new HttpRequestException("The response ended prematurely.", new IOException("Connection reset by peer.")));
        }
    }
}

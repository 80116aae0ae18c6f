using System.Text.Json;
using Arcp.Protocol.Events;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;

namespace Arcp.Agents.Sdk.Testing;

/// <summary>The runtime's context, unchanged, except that each executed durable step is reported once it is durable.</summary>
internal sealed class InterceptingJobContext(JobContext inner, StepInterceptor interceptor) : JobContext
{
    public override string JobId => inner.JobId;

    public override string Agent => inner.Agent;

    public override string TraceId => inner.TraceId;

    public override JsonElement Input => inner.Input;

    public override int Attempt => inner.Attempt;

    public override LeaseRequest Lease => inner.Lease;

    public override DateTimeOffset? ExpiresAt => inner.ExpiresAt;

    public override IReadOnlyDictionary<string, decimal> Budget => inner.Budget;

    public override CancellationToken CancellationToken => inner.CancellationToken;

    public override bool HasFeature(string feature) => inner.HasFeature(feature);

    public override Task EmitAsync(EventBody body) => inner.EmitAsync(body);

    public override void Authorize(string capability, string target) => inner.Authorize(capability, target);

    public override async Task<JsonElement> StepAsync(string name, Func<CancellationToken, Task<JsonElement>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var executed = false;
        var result = await inner.StepAsync(name, ct =>
        {
            executed = true;
            return action(ct);
        }).ConfigureAwait(false);
        if (executed)
        {
            await interceptor.OnStepExecutedAsync().ConfigureAwait(false);
        }

        return result;
    }

    public override Task StreamTextResultAsync(IAsyncEnumerable<string> chunks, string? summary = null) => inner.StreamTextResultAsync(chunks, summary);

    public override Task StreamBinaryResultAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> chunks, string? summary = null) => inner.StreamBinaryResultAsync(chunks, summary);

    public override Task FlushAsync() => inner.FlushAsync();

    public override Task<JobAccepted> DelegateAsync(string agent, JsonElement? input = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? leaseRequest = null, string? expiresAt = null) =>
        inner.DelegateAsync(agent, input, leaseRequest, expiresAt);

    public override Task<IReadOnlyList<string>> GetCredentialIdsAsync() => inner.GetCredentialIdsAsync();

    public override Task<string> RotateCredentialAsync(string credentialId) => inner.RotateCredentialAsync(credentialId);
}

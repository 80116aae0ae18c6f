using System.Text.Json;

namespace Arcp.Agents.Sdk.Testing;

/// <summary>Runs the agent under test with a context that reports its durable steps to the <see cref="StepInterceptor"/>.</summary>
internal sealed class InterceptingAgent(IAgent inner, StepInterceptor interceptor) : IAgent
{
    public Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        interceptor.OnRunStarted();
        return inner.RunAsync(new InterceptingJobContext(context, interceptor), cancellationToken);
    }
}

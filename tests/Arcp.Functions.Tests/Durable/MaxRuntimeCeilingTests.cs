using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;

namespace Arcp.Functions.Tests.Durable;

/// <summary>
/// With <c>Arcp:Jobs:MaxRuntimeCeilingSeconds</c> set (a plan whose host caps an invocation), a job the deployment
/// could not run to its end is refused at submission, never accepted and cut off mid-run.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MaxRuntimeCeilingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FunctionsRuntime _runtime = null!;

    public async Task InitializeAsync() =>
        _runtime = await FunctionsRuntime.StartAsync(azurite.ConnectionString, settings => settings["Arcp:Jobs:MaxRuntimeCeilingSeconds"] = "600");

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Theory]
    [InlineData(601L)]
    [InlineData(null)]
    public async Task Submit_BeyondCeilingOrUnbounded_InvalidRequest(long? maxRuntimeSec)
    {
        var session = await _runtime.OpenSessionAsync();

        var outcome = await _runtime.SubmitAsync(session, "echo", shape: s => s with { MaxRuntimeSec = maxRuntimeSec });

        var rejected = Assert.IsType<SubmitOutcome.Rejected>(outcome);
        Assert.Equal(ErrorCode.InvalidRequest, rejected.Error.Code);
        Assert.Contains("600 s", rejected.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_WithinCeiling_AcceptedAndRuns()
    {
        var session = await _runtime.OpenSessionAsync();

        var outcome = await _runtime.SubmitAsync(session, "echo", shape: s => s with { MaxRuntimeSec = 600 });

        var accepted = Assert.IsType<SubmitOutcome.Accepted>(outcome);
        Assert.Equal(JobStatus.Success, (await _runtime.WaitTerminalAsync(accepted.Payload.JobId)).Status);
    }
}

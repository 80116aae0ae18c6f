using System.Text.Json;
using Arcp.Client;
using Arcp.Client.Errors;
using Arcp.Client.Jobs;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using HelloAgents;

namespace Arcp.Agents.Tests.Samples;

/// <summary>A user's agents, added with their one registration call, run under <c>Arcp.Host</c> on Azurite over a real WebSocket.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HelloAgentsHostTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, services => services.AddHelloAgents());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Submit_Greeter_ListedInTheInventoryAndGreetsUnderItsLease()
    {
        // Arrange
        await using var client = await ArcpClient.ConnectAsync(new ArcpClientOptions { Url = _host.ArcpUri, Token = "tok-alice" });
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["tool.call"] = ["greeting.*"], ["cost.budget"] = ["USD:1.00"] };

        // Act
        var job = await client.SubmitAsync("greeter", JsonSerializer.SerializeToElement(new { names = new[] { "Ada", "Grace" } }), new JobSubmitOptions(lease));
        var outcome = await job.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var unleased = await client.SubmitAsync("greeter", JsonSerializer.SerializeToElement(new { names = new[] { "Ada" } }));
        var refused = await Assert.ThrowsAsync<ArcpErrorException>(() => unleased.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(60)));

        // Assert
        Assert.Contains(client.Session.Agents, a => a.Name == "greeter");
        Assert.Equal(JobStatus.Success, outcome.Status);
        Assert.Equal(2, outcome.Result!.Value.GetProperty("greetings").GetArrayLength());
        Assert.Equal(ErrorCode.PermissionDenied, refused.Code);
    }
}

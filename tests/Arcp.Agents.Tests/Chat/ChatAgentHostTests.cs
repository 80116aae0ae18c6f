using System.Text;
using System.Text.Json;
using Arcp.Client;
using Arcp.Client.Jobs;
using Arcp.Protocol.Events;
using Arcp.Protocol.Messages;

namespace Arcp.Agents.Tests.Chat;

/// <summary>The <c>chat</c> agent under <c>Arcp.Host</c> on Azurite, driven by the .NET client over a loopback WebSocket.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChatAgentHostTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FakeOpenAiServer _server = null!;
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAiServer.StartAsync();
        _host = await ArcpTestHost.StartAsync(
            azurite.ConnectionString,
            null,
            $"--Arcp:Agents:Chat:Endpoint={_server.Endpoint}",
            "--Arcp:Agents:Chat:Model=fake-model-1",
            "--Arcp:Agents:Chat:InputPricePer1K=0.10",
            "--Arcp:Agents:Chat:OutputPricePer1K=0.20");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Submit_ChatWithToolAndResultChunk_StreamsTheAnswerWithToolEventsAndCostMetrics()
    {
        // Arrange
        _server.Reply(FakeReply.Calls(100, 10, new FakeToolCall("call_1", "clock")))
            .Reply(FakeReply.Answer(200, 20, "The time ", "is noon."));
        await using var client = await ArcpClient.ConnectAsync(new ArcpClientOptions { Url = _host.ArcpUri, Token = "tok-alice" });
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["model.use"] = ["fake-model-*"], ["tool.call"] = ["clock"], ["cost.budget"] = ["USD:1.00"] };

        // Act
        var job = await client.SubmitAsync("chat", JsonSerializer.SerializeToElement(new { prompt = "What time is it?", tools = new[] { "clock" } }), new JobSubmitOptions(lease));
        var kinds = new List<string>();
        var costs = new List<decimal>();
        await foreach (var e in job.ReadEventsAsync())
        {
            kinds.Add(e.Kind);
            if (e.Body is MetricBody { Name: "cost.inference" } metric)
            {
                costs.Add(metric.Value);
            }
        }

        var outcome = await job.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(60));

        // Assert
        Assert.Equal(JobStatus.Success, outcome.Status);
        using var result = JsonDocument.Parse(Encoding.UTF8.GetString(outcome.StreamedResult!.Value.Span));
        Assert.Equal("The time is noon.", result.RootElement.GetProperty("text").GetString());
        Assert.Equal(300, result.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Contains("tool_call", kinds);
        Assert.Contains("tool_result", kinds);
        Assert.Contains("result_chunk", kinds);
        Assert.Equal([0.012m, 0.024m], costs);
        Assert.Equal(2, _server.Requests.Count);
    }
}

using System.Text.Json;
using Arcp.Protocol.Events;

namespace Arcp.Client.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class ArcpClientResultChunkTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ClientHost.StartAsync(azurite);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GetResultAsync_StreamedResultOver10MiB_ReassembledInChunkOrder()
    {
        // Arrange
        const long Size = (10L * 1024 * 1024) + 123_457;
        await using var client = await ClientHost.ConnectAsync(_host);

        // Act
        var job = await client.SubmitAsync(StreamingAgent.Name, JsonSerializer.SerializeToElement(new { bytes = Size }));
        var chunks = new List<ResultChunkBody>();
        await foreach (var e in job.ReadEventsAsync())
        {
            chunks.Add(Assert.IsType<ResultChunkBody>(e.Body));
        }

        var outcome = await job.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(120));

        // Assert
        Assert.True(chunks.Count >= 11, $"{chunks.Count} chunks");
        Assert.Equal(Enumerable.Range(0, chunks.Count).Select(i => (long)i), chunks.Select(c => c.ChunkSeq));
        Assert.Single(chunks, c => !c.More);
        Assert.Equal(chunks[0].ResultId, outcome.ResultId);
        Assert.Equal($"{Size} bytes", outcome.Summary);
        Assert.True(outcome.StreamedResultIsText);
        var bytes = outcome.StreamedResult!.Value.Span;
        Assert.Equal(Size, bytes.Length);
        for (var i = 0; i < bytes.Length; i += 4099)
        {
            Assert.Equal((byte)StreamingAgent.CharAt(i), bytes[i]);
        }

        Assert.Equal((byte)StreamingAgent.CharAt(Size - 1), bytes[^1]);
        Assert.Null(outcome.Result);
    }
}

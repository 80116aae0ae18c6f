using Arcp.Testing.Faults;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Arcp.Azure.Tests.Faults;

/// <summary>The fault proxy in front of real Azurite: it forwards blob, queue and table requests and injects faults.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageFaultProxyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Forward_NoFaults_BlobQueueAndTableWork()
    {
        // Arrange
        var schedule = new FaultSchedule(new FaultScheduleOptions());
        await using var proxy = await StorageFaultProxy.StartAsync(azurite.ConnectionString, schedule);
        var name = AzuriteFixture.UniqueTableName("p");
        var table = new TableClient(proxy.ConnectionString, name);
        var container = new BlobContainerClient(proxy.ConnectionString, name);
        var queue = new QueueClient(proxy.ConnectionString, name);

        try
        {
            // Act
            await table.CreateAsync();
            await table.AddEntityAsync(new TableEntity("p", "r") { ["v"] = "through the proxy" });
            await container.CreateAsync();
            await container.UploadBlobAsync("b", BinaryData.FromString("blob body"));
            await queue.CreateAsync();
            await queue.SendMessageAsync("queued");

            // Assert: read back directly from Azurite.
            var entity = await new TableClient(azurite.ConnectionString, name).GetEntityAsync<TableEntity>("p", "r");
            Assert.Equal("through the proxy", entity.Value.GetString("v"));
            var blob = await new BlobContainerClient(azurite.ConnectionString, name).GetBlobClient("b").DownloadContentAsync();
            Assert.Equal("blob body", blob.Value.Content.ToString());
            var message = await new QueueClient(azurite.ConnectionString, name).ReceiveMessageAsync();
            Assert.Equal("queued", message.Value.Body.ToString());
            Assert.Equal(schedule.Requests, proxy.Forwarded);
            Assert.DoesNotContain(":" + new Uri(azurite.ConnectionString.Split("TableEndpoint=")[1].Split(';')[0]).Port + "/", proxy.ConnectionString, StringComparison.Ordinal);
        }
        finally
        {
            await new TableClient(azurite.ConnectionString, name).DeleteAsync();
            await new BlobContainerClient(azurite.ConnectionString, name).DeleteIfExistsAsync();
            await new QueueClient(azurite.ConnectionString, name).DeleteIfExistsAsync();
        }
    }

    [Fact]
    public async Task Forward_ServerBusy_AnsweredWithoutStorage()
    {
        // Arrange
        var name = AzuriteFixture.UniqueTableName("p");
        var clean = new TableClient(azurite.ConnectionString, name);
        await clean.CreateAsync();
        var schedule = new FaultSchedule(new FaultScheduleOptions { ServerBusy = 1.0 });
        await using var proxy = await StorageFaultProxy.StartAsync(azurite.ConnectionString, schedule);
        var faulty = new TableClient(proxy.ConnectionString, name, NoRetries());

        try
        {
            // Act
            var error = await Assert.ThrowsAsync<RequestFailedException>(() => faulty.AddEntityAsync(new TableEntity("p", "r")));

            // Assert
            Assert.Equal(503, error.Status);
            Assert.Equal("ServerBusy", error.ErrorCode);
            Assert.Equal(0, proxy.Forwarded);
            Assert.False((await clean.GetEntityIfExistsAsync<TableEntity>("p", "r")).HasValue);
        }
        finally
        {
            await clean.DeleteAsync();
        }
    }

    [Fact]
    public async Task Forward_ReplyLost_CommittedButCallerSeesDroppedConnection()
    {
        // Arrange
        var name = AzuriteFixture.UniqueTableName("p");
        var clean = new TableClient(azurite.ConnectionString, name);
        await clean.CreateAsync();
        var schedule = new FaultSchedule(new FaultScheduleOptions { ReplyLost = 1.0 });
        await using var proxy = await StorageFaultProxy.StartAsync(azurite.ConnectionString, schedule);
        var faulty = new TableClient(proxy.ConnectionString, name, NoRetries());

        try
        {
            // Act
            var error = await Assert.ThrowsAsync<RequestFailedException>(() => faulty.AddEntityAsync(new TableEntity("p", "r")));

            // Assert
            Assert.Equal(0, error.Status);
            Assert.Equal(1, proxy.Forwarded);
            Assert.True((await clean.GetEntityIfExistsAsync<TableEntity>("p", "r")).HasValue);
        }
        finally
        {
            await clean.DeleteAsync();
        }
    }

    [Fact]
    public async Task StartAsync_RemoteEndpoint_Refused()
    {
        var schedule = new FaultSchedule(new FaultScheduleOptions());

        await Assert.ThrowsAsync<ArgumentException>(() => StorageFaultProxy.StartAsync(
            "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5;BlobEndpoint=https://a.blob.core.windows.net;QueueEndpoint=https://a.queue.core.windows.net;TableEndpoint=https://a.table.core.windows.net", schedule));
    }

    private static TableClientOptions NoRetries() => new() { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(10) } };
}

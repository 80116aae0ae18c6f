using System.Collections.Concurrent;
using Arcp.Benchmarks.Cost;
using Arcp.Testing.Faults;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Arcp.Benchmarks.Tests.Cost;

/// <summary>Real SDK requests through the counting proxy to Azurite, classified as the cost suite classifies them.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageRequestClassifierTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Classify_TableWritesOfOurPrefix_AreArcpWritesWithTheirPartition()
    {
        // Arrange
        var prefix = "c" + Guid.NewGuid().ToString("N")[..8];
        var (proxy, seen) = await StartAsync(prefix, "h" + Guid.NewGuid().ToString("N")[..8]);
        await using var _ = proxy;
        var table = new TableClient(proxy.ConnectionString, prefix + "jobs");
        await table.CreateAsync();
        seen.Clear();

        try
        {
            // Act
            await table.AddEntityAsync(new TableEntity("job1", "state"));
            await table.SubmitTransactionAsync(Enumerable.Range(0, 3).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("job1", "page" + i))));
            await table.GetEntityAsync<TableEntity>("job1", "state");
            await foreach (var page in table.QueryAsync<TableEntity>(e => e.PartitionKey == "job1").AsPages())
            {
                Assert.Equal(4, page.Values.Count);
            }

            // Assert
            var operations = seen.ToList();
            Assert.Equal(4, operations.Count);
            Assert.All(operations, o => Assert.Equal((StorageOwner.Arcp, StorageService.Table, "jobs"), (o.Owner, o.Service, o.Resource)));
            Assert.Contains(operations, o => o is { Operation: "insert", Write: true, Entities: 1, Partition: "job1" });
            Assert.Contains(operations, o => o is { Operation: "batch", Write: true, Entities: 3, Partition: "job1" });
            Assert.Contains(operations, o => o is { Operation: "get entity", Write: false, Entities: 0 });
            Assert.Contains(operations, o => o is { Operation: "query", Write: false });
        }
        finally
        {
            await new TableClient(azurite.ConnectionString, prefix + "jobs").DeleteAsync();
        }
    }

    [Fact]
    public async Task Classify_TaskHubQueuesAndBlobs_AreDurableWithTheHubNameTakenOff()
    {
        // Arrange
        var hub = "h" + Guid.NewGuid().ToString("N")[..8];
        var (proxy, seen) = await StartAsync("c" + Guid.NewGuid().ToString("N")[..8], hub);
        await using var _ = proxy;
        var control = new QueueClient(proxy.ConnectionString, hub + "-control-03");
        var leases = new BlobContainerClient(proxy.ConnectionString, hub + "-leases");

        try
        {
            // Act
            await control.CreateAsync();
            await control.SendMessageAsync("m");
            var message = (await control.ReceiveMessageAsync()).Value;
            await control.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            await leases.CreateAsync();
            await leases.UploadBlobAsync("taskhub.json", BinaryData.FromString("{}"));

            // Assert
            var keys = seen.Select(o => o.Key).ToList();
            Assert.Equal(
                ["durable queue control-NN create queue", "durable queue control-NN put message", "durable queue control-NN get messages", "durable queue control-NN delete message", "durable blob leases create container", "durable blob leases put blob"],
                keys);
        }
        finally
        {
            await new QueueClient(azurite.ConnectionString, hub + "-control-03").DeleteIfExistsAsync();
            await new BlobContainerClient(azurite.ConnectionString, hub + "-leases").DeleteIfExistsAsync();
        }
    }

    [Fact]
    public async Task Classify_TableOfNeitherName_IsOther()
    {
        // Arrange
        var (proxy, seen) = await StartAsync("c" + Guid.NewGuid().ToString("N")[..8], "h" + Guid.NewGuid().ToString("N")[..8]);
        await using var _ = proxy;
        var name = AzuriteFixture.UniqueTableName("x");
        var table = new TableClient(proxy.ConnectionString, name);

        try
        {
            // Act
            await table.CreateAsync();

            // Assert
            var created = Assert.Single(seen);
            Assert.Equal((StorageOwner.Other, "create table"), (created.Owner, created.Operation));
        }
        finally
        {
            await new TableClient(azurite.ConnectionString, name).DeleteAsync();
        }
    }

    private async Task<(StorageFaultProxy Proxy, ConcurrentQueue<StorageOperation> Seen)> StartAsync(string prefix, string hub)
    {
        var classifier = new StorageRequestClassifier(prefix, hub);
        var seen = new ConcurrentQueue<StorageOperation>();
        var proxy = await StorageFaultProxy.StartAsync(azurite.ConnectionString, new FaultSchedule(new FaultScheduleOptions()));
        proxy.Observer = request => seen.Enqueue(classifier.Classify(request));
        return (proxy, seen);
    }
}

using Arcp.Azure.Storage;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Serializing;
using global::Azure.Data.Tables;
using global::Azure.Storage.Blobs;
using global::Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;

namespace Arcp.Azure.Durable;

/// <summary>
/// The task hub on Azure Storage (queues, tables and blobs named after <see cref="DurableTaskOptions.TaskHubName"/>):
/// one <see cref="AzureStorageOrchestrationService"/> per process, shared by the worker and the client.
/// </summary>
internal sealed class DurableTaskHub : IDisposable
{
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private volatile bool _created;

    public DurableTaskHub(IOptions<StorageOptions> storage, IOptions<DurableTaskOptions> options, ILoggerFactory loggerFactory, IEnumerable<StorageClientPolicy> policies)
    {
        var o = options.Value;
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = o.TaskHubName,
            StorageAccountClientProvider = ClientProvider(storage.Value, [.. policies]),
            MaxQueuePollingInterval = o.MaxQueuePollingInterval,
            WorkItemQueueVisibilityTimeout = o.WorkItemQueueVisibilityTimeout,
            ControlQueueVisibilityTimeout = o.ControlQueueVisibilityTimeout,
            PartitionCount = o.PartitionCount,
            PartitionTableOperationTimeout = o.PartitionTableOperationTimeout,
            LoggerFactory = loggerFactory,
        };
        if (o.MaxConcurrentActivities > 0)
        {
            settings.MaxConcurrentTaskActivityWorkItems = o.MaxConcurrentActivities;
        }

        TaskHubName = o.TaskHubName;
        Service = new AzureStorageOrchestrationService(settings);

        Client = new TaskHubClient(Service, InputConverter, loggerFactory);
    }

    /// <summary>The task hub's blob, queue and table clients, each with the registered <see cref="StorageClientPolicy"/>s.</summary>
    private static StorageAccountClientProvider ClientProvider(StorageOptions storage, IReadOnlyList<StorageClientPolicy> policies)
    {
        var blobs = StorageClientPolicy.AddTo(new BlobClientOptions(), policies);
        var queues = StorageClientPolicy.AddTo(new QueueClientOptions(), policies);
        var tables = StorageClientPolicy.AddTo(new TableClientOptions(), policies);
        if (!storage.UsesIdentity)
        {
            return new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(storage.ConnectionString!, blobs),
                StorageServiceClientProvider.ForQueue(storage.ConnectionString!, queues),
                StorageServiceClientProvider.ForTable(storage.ConnectionString!, tables));
        }

        var credential = storage.Credential();
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(storage.ServiceUri("blob"), credential, blobs),
            StorageServiceClientProvider.ForQueue(storage.ServiceUri("queue"), credential, queues),
            StorageServiceClientProvider.ForTable(storage.ServiceUri("table"), credential, tables));
    }

    /// <summary>
    /// How the client serialises orchestration inputs. It is Newtonsoft while the shims read inputs with
    /// System.Text.Json: no type names in the JSON, so the two agree on plain records.
    /// </summary>
    internal static DataConverter InputConverter { get; } = new JsonDataConverter(new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.None });

    public string TaskHubName { get; }

    public AzureStorageOrchestrationService Service { get; }

    public TaskHubClient Client { get; }

    /// <summary>Creates the task hub's queues, tables and containers once per process (a retry after a failure tries again).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }

        await _createGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_created)
            {
                await Service.CreateIfNotExistsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                _created = true;
            }
        }
        finally
        {
            _createGate.Release();
        }
    }

    public void Dispose() => _createGate.Dispose();
}

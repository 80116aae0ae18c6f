namespace Arcp.Infra.Tests.Bicep;

/// <summary>Built-in Azure role definition ids.</summary>
internal static class Roles
{
    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    public const string WebPubSubServiceOwner = "12cf5a90-567b-43ae-8102-96cf46c7d9b4";
    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
}

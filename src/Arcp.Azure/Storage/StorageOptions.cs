namespace Arcp.Azure.Storage;

/// <summary>Where the runtime keeps its state: one Azure Storage account (Azurite locally).</summary>
public sealed class StorageOptions
{
    /// <summary>The setting both hosts read the connection string from.</summary>
    public const string ConnectionSettingName = "AzureWebJobsStorage";

    /// <summary>A storage connection string; <c>UseDevelopmentStorage=true</c> selects Azurite on its default ports.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Prefix of every table the runtime creates, so several runtimes can share one account.</summary>
    public string TablePrefix { get; set; } = "arcp";
}

namespace Arcp.Testing;

/// <summary>One Azurite per test assembly (xunit collection fixture); tests isolate themselves by table name.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteInstance? _instance;

    /// <summary>Connection string of the running Azurite.</summary>
    public string ConnectionString => _instance?.ConnectionString ?? throw new InvalidOperationException("Azurite has not started.");

    /// <summary>A table name no other test uses.</summary>
    public static string UniqueTableName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N");

    async Task IAsyncLifetime.InitializeAsync() => _instance = await AzuriteInstance.StartAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }
    }
}

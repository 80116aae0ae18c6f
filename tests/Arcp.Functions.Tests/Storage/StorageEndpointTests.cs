using Arcp.Azure.Storage;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Functions.Tests.Storage;

/// <summary>Identity-based storage reaches the account in any cloud: the endpoint suffix or the service URIs come from configuration.</summary>
public sealed class StorageEndpointTests
{
    [Fact]
    public async Task AccountName_NoSuffix_PublicCloudEndpoint()
    {
        var uri = await TableEndpointAsync(new() { ["AzureWebJobsStorage:accountName"] = "acct" });

        Assert.Equal("https://acct.table.core.windows.net/", uri.ToString());
    }

    [Fact]
    public async Task AccountName_SovereignSuffix_EndpointInThatCloud()
    {
        var uri = await TableEndpointAsync(new() { ["AzureWebJobsStorage:accountName"] = "acct", ["Arcp:Storage:EndpointSuffix"] = "core.chinacloudapi.cn" });

        Assert.Equal("https://acct.table.core.chinacloudapi.cn/", uri.ToString());
    }

    [Fact]
    public async Task ServiceUris_AsTheFunctionsHostReadsThem_UsedAsGiven()
    {
        var uri = await TableEndpointAsync(new()
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://acct.blob.core.usgovcloudapi.net",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://acct.queue.core.usgovcloudapi.net",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://acct.table.core.usgovcloudapi.net",
        });

        Assert.Equal("https://acct.table.core.usgovcloudapi.net/", uri.ToString());
    }

    private static async Task<Uri> TableEndpointAsync(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        ArcpFunctionsApplication.ConfigureServices(services, configuration);
        await using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<TableServiceClient>().Uri;
    }
}

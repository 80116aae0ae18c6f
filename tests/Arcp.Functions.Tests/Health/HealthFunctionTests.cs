using Arcp.Azure.Storage;
using Arcp.Functions.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Functions.Tests.Health;

/// <summary><c>/api/healthz</c> answers from storage, like the local host's <c>/healthz</c>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HealthFunctionTests(AzuriteFixture azurite)
{
    private const string Unreachable =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    [Fact]
    public async Task Health_StorageAnswers_Returns200()
    {
        var status = await InvokeAsync(azurite.ConnectionString);

        Assert.Equal(StatusCodes.Status200OK, status);
    }

    [Fact]
    public async Task Health_StorageUnreachable_Returns503()
    {
        var status = await InvokeAsync(Unreachable);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
    }

    private static async Task<int?> InvokeAsync(string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageOptions.ConnectionSettingName] = connectionString }).Build();
        var services = new ServiceCollection().AddLogging();
        ArcpFunctionsApplication.ConfigureServices(services, configuration);
        await using var provider = services.BuildServiceProvider();
        var function = ActivatorUtilities.CreateInstance<HealthFunction>(provider);

        var result = await function.RunAsync(new DefaultHttpContext().Request, CancellationToken.None);

        return Assert.IsAssignableFrom<ObjectResult>(result).StatusCode;
    }
}

using Arcp.Functions.Telemetry;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;

namespace Arcp.Functions.Tests.Telemetry;

/// <summary>The Azure Monitor exporters send Entra tokens of the managed identity when local auth is off.</summary>
public sealed class AzureMonitorAuthenticationTests
{
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://ingest.test/";

    [Theory]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD", true)]
    [InlineData("Authorization=AAD", true)]
    [InlineData(" authorization = aad ; clientid = abc ", true)]
    [InlineData("Authorization=None", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Credential_AuthenticationString_ManagedIdentityOnlyForAad(string? authentication, bool expected)
    {
        var credential = AzureMonitorAuthentication.Credential(authentication);

        Assert.Equal(expected, credential is ManagedIdentityCredential);
        Assert.Equal(expected, credential is not null);
    }

    [Fact]
    public void Apply_AadAuthenticationString_ExporterOptionsCarryConnectionAndCredential()
    {
        // Arrange: what the template sets on the Function App.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AzureMonitorAuthentication.ConnectionStringSetting] = ConnectionString,
            [AzureMonitorAuthentication.AuthenticationStringSetting] = "ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD",
        }).Build();
        var options = new AzureMonitorExporterOptions();

        // Act
        AzureMonitorAuthentication.Apply(options, configuration);

        // Assert
        Assert.Equal(ConnectionString, options.ConnectionString);
        Assert.IsType<ManagedIdentityCredential>(options.Credential);
    }

    [Fact]
    public void Apply_NoAuthenticationString_ExporterOptionsWithoutCredential()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AzureMonitorAuthentication.ConnectionStringSetting] = ConnectionString,
        }).Build();
        var options = new AzureMonitorExporterOptions();

        AzureMonitorAuthentication.Apply(options, configuration);

        Assert.Equal(ConnectionString, options.ConnectionString);
        Assert.Null(options.Credential);
    }
}

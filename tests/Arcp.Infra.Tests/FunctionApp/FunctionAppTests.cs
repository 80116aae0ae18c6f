using System.Text.Json;
using Arcp.Infra.Tests.Bicep;

namespace Arcp.Infra.Tests.FunctionApp;

[Collection(CompiledTemplateCollection.Name)]
public sealed class FunctionAppTests(CompiledTemplateFixture fixture)
{
    private const string IdentityClientId =
        "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('names').identity), '2024-11-30').clientId]";

    private readonly ArmTemplate _main = fixture.Main;

    private ArmModule Module => _main.Module("functionapp");

    private JsonElement Site => Module.Template.Resource("Microsoft.Web/sites");

    private JsonElement FunctionAppConfig => Site.GetProperty("properties").GetProperty("functionAppConfig");

    private JsonElement AppSettings => Module.Template.Resource("Microsoft.Web/sites/config").GetProperty("properties");

    [Fact]
    public void Sku_Plan_IsFlexConsumptionFC1OnLinux()
    {
        // Act
        var plan = Module.Template.Resource("Microsoft.Web/serverfarms");

        // Assert
        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean());
    }

    [Fact]
    public void ServerFarm_Site_IsTheFlexPlan()
    {
        // Act
        var serverFarmId = Site.GetProperty("properties").GetProperty("serverFarmId").GetString();

        // Assert
        Assert.Equal("functionapp,linux", Site.GetProperty("kind").GetString());
        Assert.Equal("[resourceId('Microsoft.Web/serverfarms', parameters('planName'))]", serverFarmId);
        Assert.True(Site.GetProperty("properties").GetProperty("httpsOnly").GetBoolean());
    }

    [Fact]
    public void Runtime_Site_IsDotnetIsolatedOnDotnet10ByDefault()
    {
        // Act
        var runtime = FunctionAppConfig.GetProperty("runtime");

        // Assert
        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal("[parameters('dotnetVersion')]", runtime.GetProperty("version").GetString());
        Assert.Equal("[parameters('dotnetVersion')]", Module.PassedValue("dotnetVersion"));
        Assert.Equal("10.0", _main.Parameter("dotnetVersion").GetProperty("defaultValue").GetString());
    }

    [Fact]
    public void DeploymentStorage_Site_IsBlobContainerReadWithUserAssignedIdentity()
    {
        // Act
        var storage = FunctionAppConfig.GetProperty("deployment").GetProperty("storage");
        var authentication = storage.GetProperty("authentication");

        // Assert
        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        Assert.Equal("[format('{0}{1}', parameters('blobEndpoint'), parameters('deploymentContainerName'))]", storage.GetProperty("value").GetString());
        Assert.Equal($"[{_main.Module("storage").OutputReference("blobEndpoint")}]", Module.PassedValue("blobEndpoint"));
        Assert.Equal($"[{_main.Module("storage").OutputReference("deploymentContainerName")}]", Module.PassedValue("deploymentContainerName"));
        Assert.Equal("UserAssignedIdentity", authentication.GetProperty("type").GetString());
        Assert.Equal("[parameters('identityId')]", authentication.GetProperty("userAssignedIdentityResourceId").GetString());
        Assert.Equal("[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('names').identity)]", Module.PassedValue("identityId"));
    }

    [Fact]
    public void ScaleAndConcurrency_Site_ComesFromParameters()
    {
        // Act
        var scale = FunctionAppConfig.GetProperty("scaleAndConcurrency");

        // Assert
        Assert.Equal("[parameters('instanceMemoryMB')]", scale.GetProperty("instanceMemoryMB").GetString());
        Assert.Equal("[parameters('maximumInstanceCount')]", scale.GetProperty("maximumInstanceCount").GetString());
        Assert.Equal("[parameters('instanceMemoryMB')]", Module.PassedValue("instanceMemoryMB"));
        Assert.Equal("[parameters('maximumInstanceCount')]", Module.PassedValue("maximumInstanceCount"));
        Assert.Equal(2048, _main.Parameter("instanceMemoryMB").GetProperty("defaultValue").GetInt32());
        Assert.Equal([512, 2048, 4096], _main.Parameter("instanceMemoryMB").GetProperty("allowedValues").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(1000, _main.Parameter("maximumInstanceCount").GetProperty("maxValue").GetInt32());
    }

    [Fact]
    public void AlwaysReady_Site_HttpAndDurableGroupsFromParametersDefaultZero()
    {
        // Act
        var alwaysReady = FunctionAppConfig.GetProperty("scaleAndConcurrency").GetProperty("alwaysReady").GetString()!;

        // Assert: an entry per group whose count is above zero ('durable' covers orchestrations and agent runs).
        Assert.Contains("parameters('alwaysReadyHttpInstances')", alwaysReady, StringComparison.Ordinal);
        Assert.Contains("'name', 'http'", alwaysReady, StringComparison.Ordinal);
        Assert.Contains("parameters('alwaysReadyDurableInstances')", alwaysReady, StringComparison.Ordinal);
        Assert.Contains("'name', 'durable'", alwaysReady, StringComparison.Ordinal);
        Assert.Equal("[parameters('alwaysReadyHttpInstances')]", Module.PassedValue("alwaysReadyHttpInstances"));
        Assert.Equal("[parameters('alwaysReadyDurableInstances')]", Module.PassedValue("alwaysReadyDurableInstances"));
        Assert.Equal(0, _main.Parameter("alwaysReadyHttpInstances").GetProperty("defaultValue").GetInt32());
        Assert.Equal(0, _main.Parameter("alwaysReadyDurableInstances").GetProperty("defaultValue").GetInt32());
        Assert.Equal(20, _main.Parameter("alwaysReadyDurableInstances").GetProperty("maxValue").GetInt32());
    }

    [Fact]
    public void DurablePartitionCount_AppSetting_OverridesHostJsonFromParameter()
    {
        // Assert
        Assert.Equal(
            "[string(parameters('durablePartitionCount'))]",
            AppSettings.GetProperty("AzureFunctionsJobHost__extensions__durableTask__storageProvider__partitionCount").GetString());
        Assert.Equal("[parameters('durablePartitionCount')]", Module.PassedValue("durablePartitionCount"));
        var parameter = _main.Parameter("durablePartitionCount");
        Assert.Equal(4, parameter.GetProperty("defaultValue").GetInt32());
        Assert.Equal(1, parameter.GetProperty("minValue").GetInt32());
        Assert.Equal(16, parameter.GetProperty("maxValue").GetInt32());
    }

    [Fact]
    public void Identity_Site_IsTheRuntimeUserAssignedIdentity()
    {
        // Act
        var identity = Site.GetProperty("identity");

        // Assert
        Assert.Equal("UserAssigned", identity.GetProperty("type").GetString());
        Assert.True(identity.GetProperty("userAssignedIdentities").TryGetProperty("[format('{0}', parameters('identityId'))]", out _));
        Assert.Equal("[parameters('identityId')]", Site.GetProperty("properties").GetProperty("keyVaultReferenceIdentity").GetString());
    }

    [Fact]
    public void AppSettings_HostStorage_IsIdentityBased()
    {
        // Assert
        Assert.Equal("[parameters('storageAccountName')]", AppSettings.GetProperty("AzureWebJobsStorage__accountName").GetString());
        Assert.Equal("managedidentity", AppSettings.GetProperty("AzureWebJobsStorage__credential").GetString());
        Assert.Equal("[parameters('identityClientId')]", AppSettings.GetProperty("AzureWebJobsStorage__clientId").GetString());
        Assert.Equal($"[{_main.Module("storage").OutputReference("storageAccountName")}]", Module.PassedValue("storageAccountName"));
        Assert.Equal(IdentityClientId, Module.PassedValue("identityClientId"));
    }

    [Fact]
    public void AppSettings_UpstreamTrust_DedicatedAudienceAndOnlyTheServiceIdentity()
    {
        // Assert: the audience is the application id URI given to the template; tokens must name the identity the
        // service gets them with (the one user-assigned identity).
        Assert.Equal("[parameters('webPubSubUpstreamAudience')]", AppSettings.GetProperty("Arcp__WebPubSub__UpstreamAudience").GetString());
        Assert.Equal("[parameters('upstreamAudience')]", Module.PassedValue("webPubSubUpstreamAudience"));
        Assert.Equal("[parameters('webPubSubUpstreamClientIds')]", AppSettings.GetProperty("Arcp__WebPubSub__UpstreamClientIds").GetString());
        Assert.Equal(IdentityClientId, Module.PassedValue("webPubSubUpstreamClientIds"));
    }

    [Fact]
    public void AppSettings_WebPubSub_PointAtTheServiceAndHub()
    {
        // Assert
        Assert.Equal("[parameters('webPubSubEndpoint')]", AppSettings.GetProperty("Arcp__WebPubSub__Endpoint").GetString());
        Assert.Equal("[parameters('webPubSubHub')]", AppSettings.GetProperty("Arcp__WebPubSub__Hub").GetString());
        Assert.Equal($"[{_main.Module("webpubsub").OutputReference("endpoint")}]", Module.PassedValue("webPubSubEndpoint"));
        Assert.Equal("[parameters('hubName')]", Module.PassedValue("webPubSubHub"));
        Assert.Equal(
            "[format('https://{0}', reference(resourceId('Microsoft.SignalRService/webPubSub', parameters('webPubSubName')), '2024-03-01').hostName)]",
            _main.Module("webpubsub").OutputValue("endpoint"));
    }

    [Fact]
    public void AppSettings_RuntimeSettings_ComeFromParameters()
    {
        // Assert
        Assert.Equal("[parameters('taskHubName')]", AppSettings.GetProperty("Arcp__Durable__TaskHubName").GetString());
        Assert.Equal("[parameters('taskHubName')]", Module.PassedValue("taskHubName"));
        Assert.Equal("arcpjobs", _main.Parameter("taskHubName").GetProperty("defaultValue").GetString());
        Assert.Equal("[parameters('tablePrefix')]", AppSettings.GetProperty("Arcp__Storage__TablePrefix").GetString());
        Assert.Equal("[parameters('jwtIssuer')]", AppSettings.GetProperty("Arcp__Auth__Jwt__Issuer").GetString());
        Assert.Equal("[parameters('jwtAudience')]", AppSettings.GetProperty("Arcp__Auth__Jwt__Audience").GetString());
        Assert.Equal("[parameters('jwtSigningKeys')]", AppSettings.GetProperty("Arcp__Auth__Jwt__SigningKeys").GetString());
    }

    [Fact]
    public void AppSettings_ApplicationInsights_AuthenticateWithTheIdentity()
    {
        // Assert
        Assert.Equal("[parameters('appInsightsConnectionString')]", AppSettings.GetProperty("APPLICATIONINSIGHTS_CONNECTION_STRING").GetString());
        Assert.Equal(
            "[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]",
            AppSettings.GetProperty("APPLICATIONINSIGHTS_AUTHENTICATION_STRING").GetString());
        Assert.Equal("[parameters('identityClientId')]", AppSettings.GetProperty("AZURE_CLIENT_ID").GetString());
    }

    [Theory]
    [InlineData("AzureWebJobsStorage")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("WEBSITE_CONTENTSHARE")]
    [InlineData("APPINSIGHTS_INSTRUMENTATIONKEY")]
    public void AppSettings_ConnectionStringOrFlexDisallowedSetting_IsAbsent(string setting)
    {
        // Assert
        Assert.False(AppSettings.TryGetProperty(setting, out _), $"{setting} must not be set on a Flex Consumption app with identity-based storage.");
    }

    [Fact]
    public void JwtSigningKeys_Parameter_IsSecureAtEveryLevel()
    {
        // Assert
        Assert.Equal("securestring", _main.Parameter("jwtSigningKeys").GetProperty("type").GetString());
        Assert.Equal("securestring", Module.Template.Parameter("jwtSigningKeys").GetProperty("type").GetString());
        Assert.False(_main.Parameter("jwtSigningKeys").TryGetProperty("defaultValue", out _));
    }

    [Fact]
    public void DependsOn_FunctionAppModule_WaitsForRoleAssignments()
    {
        // Assert
        Assert.Contains("[resourceId('Microsoft.Resources/deployments', 'role-assignments')]", Module.DependsOn);
    }
}
